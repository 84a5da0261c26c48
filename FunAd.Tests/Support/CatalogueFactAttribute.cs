using Xunit.Abstractions;
using Xunit.Sdk;

namespace FunAd.Tests.Support;

/// <summary>
/// Marks the PostgreSQL variant of a provider-parametrised test class. The tests of such a class run
/// against both providers through two nested classes:
/// <code>
/// public abstract class SomeTests(CatalogueProvider provider)
/// {
///     public sealed class OnSqlite() : SomeTests(CatalogueProvider.Sqlite);
///     public sealed class OnPostgres() : SomeTests(CatalogueProvider.Postgres), IRunsOnPostgres;
///     [CatalogueFact] public async Task Something() { ... new CatalogueFixture(provider) ... }
/// }
/// </code>
/// </summary>
public interface IRunsOnPostgres
{
}

/// <summary>A test of a provider-parametrised class: skipped in its <see cref="IRunsOnPostgres"/> variant where no PostgreSQL server is configured (<see cref="PostgresTestServer.SkipReason"/>).</summary>
[XunitTestCaseDiscoverer("FunAd.Tests.Support.CatalogueFactDiscoverer", "FunAd.Tests")]
public sealed class CatalogueFactAttribute : FactAttribute;

/// <summary>A theory of a provider-parametrised class, skipped like <see cref="CatalogueFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("FunAd.Tests.Support.CatalogueTheoryDiscoverer", "FunAd.Tests")]
public sealed class CatalogueTheoryAttribute : TheoryAttribute;

public sealed class CatalogueFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        CatalogueTests.Skipped(DiagnosticMessageSink, options, method) ?? base.Discover(options, method, attribute);
}

public sealed class CatalogueTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        CatalogueTests.Skipped(DiagnosticMessageSink, options, method) ?? base.Discover(options, method, attribute);
}

internal static class CatalogueTests
{
    /// <summary>The one skipped case of a PostgreSQL variant without a server; null where the test runs.</summary>
    public static IXunitTestCase[]? Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method) =>
        PostgresTestServer.SkipReason is { } reason && typeof(IRunsOnPostgres).IsAssignableFrom(method.TestClass.Class.ToRuntimeType())
            ? [new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason)]
            : null;
}
