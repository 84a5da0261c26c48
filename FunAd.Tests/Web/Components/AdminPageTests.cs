using Bunit;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Admin;
using FunAd.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

/// <summary>The admin page composed of its panels, over the real app's services: a change on one panel shows in the audit panel.</summary>
public sealed class AdminPageTests : IAsyncLifetime
{
    private readonly FunAdWebFactory factory = new();
    private readonly BunitContext context = new();
    private AsyncServiceScope scope;

    public Task InitializeAsync()
    {
        scope = factory.Services.CreateAsyncScope();
        context.Services.AddMudServices();
        context.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<UserDirectory>());
        context.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ApiKeyService>());
        context.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<AuditLog>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.AddAuthorization().SetAuthorized(FunAdWebFactory.AdminEmail).SetRoles(Roles.Admin);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await scope.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Fact]
    public void The_page_lists_users_and_a_new_key_appears_in_the_key_table_and_the_audit_log()
    {
        var cut = context.Render<AdminPage>();
        cut.WaitForAssertion(() => Assert.Contains(FunAdWebFactory.AdminEmail, cut.Find("#user-table").TextContent));
        Assert.DoesNotContain("api key created", cut.Find("#audit-table").TextContent);

        cut.Find("#new-key-name").Change("nightly script");
        cut.Find("#create-key").Click();

        cut.WaitForAssertion(() => Assert.Contains("nightly script", cut.Find("#key-table").TextContent));
        Assert.Contains("Copy this key now", cut.Find("#created-key").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("api key created", cut.Find("#audit-table").TextContent));
    }
}
