namespace FunAd.Tests.Support;

/// <summary>
/// Tests that start the real funad executable (app, workers) and train in it take turns: run side by
/// side on two cores they starve each other into timeouts, and each one already keeps both cores busy.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealProcesses
{
    public const string Name = "real processes";
}
