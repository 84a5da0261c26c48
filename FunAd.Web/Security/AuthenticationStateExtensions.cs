using Microsoft.AspNetCore.Components.Authorization;

namespace FunAd.Web.Security;

public static class AuthenticationStateExtensions
{
    /// <summary>The signed-in user's name (their e-mail), as runs, verdicts and the audit log record it.</summary>
    public static async Task<string?> UserNameAsync(this AuthenticationStateProvider provider) =>
        (await provider.GetAuthenticationStateAsync()).User.Identity?.Name;
}
