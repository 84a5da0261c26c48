using Bunit;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Admin;
using FunAd.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
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

    [Fact]
    public async Task An_admin_disables_a_user_once_they_confirm_sees_the_mark_and_enables_them_again_but_not_themselves()
    {
        const string worker = "worker@funad.test";
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        await directory.CreateAsync(worker, "worker-pass-1", Roles.Editor, "test");
        var dialogs = context.Render<MudDialogProvider>();
        var snackbars = context.Render<MudSnackbarProvider>();
        var cut = context.Render<AdminPage>();
        AngleSharp.Dom.IElement Row(string email) => cut.FindAll("#user-table tbody tr").Single(r => r.TextContent.Contains(email));
        AngleSharp.Dom.IElement DialogButton(string text) => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);
        cut.WaitForAssertion(() => Row(worker));

        // Disabling asks first; "Keep enabled" changes nothing.
        Row(worker).QuerySelector(".disable-user")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Disable {worker}?", dialogs.Markup));
        DialogButton("Keep enabled").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain($"Disable {worker}?", dialogs.Markup));
        Assert.False((await directory.ListAsync()).Single(u => u.Email == worker).Disabled);
        Assert.Null(Row(worker).QuerySelector(".user-disabled"));

        Row(worker).QuerySelector(".disable-user")!.Click();
        dialogs.WaitForAssertion(() => DialogButton("Disable").Click());
        cut.WaitForAssertion(() => Assert.Contains("disabled", Row(worker).QuerySelector(".user-disabled")!.TextContent));
        Assert.True((await directory.ListAsync()).Single(u => u.Email == worker).Disabled);
        cut.WaitForAssertion(() => Assert.Contains("user disabled", cut.Find("#audit-table").TextContent));

        Row(worker).QuerySelector(".enable-user")!.Click();
        cut.WaitForAssertion(() => Assert.Null(Row(worker).QuerySelector(".user-disabled")));
        Assert.False((await directory.ListAsync()).Single(u => u.Email == worker).Disabled);
        cut.WaitForAssertion(() => Assert.Contains("user enabled", cut.Find("#audit-table").TextContent));

        // Their own row: confirmed, and still refused with the reason.
        Row(FunAdWebFactory.AdminEmail).QuerySelector(".disable-user")!.Click();
        dialogs.WaitForAssertion(() => DialogButton("Disable").Click());
        snackbars.WaitForAssertion(() => Assert.Contains("cannot disable your own account", snackbars.Markup));
        Assert.Null(Row(FunAdWebFactory.AdminEmail).QuerySelector(".user-disabled"));
    }
}
