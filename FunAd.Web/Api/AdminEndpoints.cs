using System.Security.Claims;
using FunAd.Jobs.Audit;
using FunAd.Web.Security;

namespace FunAd.Web.Api;

/// <summary>/api/v1 for admins: API keys, users and their roles, passwords, sessions and whether they are disabled, the audit log.</summary>
public static class AdminEndpoints
{
    public static void MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("/api-keys", (ApiKeyService keys, CancellationToken token) => keys.ListAsync(token)).WithSummary("List API keys (admins).");
        admin.MapPost("/api-keys", async (CreateApiKeyRequest body, ApiKeyService keys, ClaimsPrincipal user, CancellationToken token) =>
            {
                var (key, secret) = await keys.CreateAsync(body.Name, body.Role, user.Identity?.Name, token);
                return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new CreatedApiKeyReply(key.Id, key.Name, key.Role, secret));
            })
            .WithSummary("Create an API key (admins); the reply holds the key, shown only this once.");
        admin.MapDelete("/api-keys/{id:int}", async (int id, ApiKeyService keys, ClaimsPrincipal user, CancellationToken token) =>
                await keys.RevokeAsync(id, user.Identity?.Name, token)
                    ? TypedResults.NoContent()
                    : throw new KeyNotFoundException($"API key {id} does not exist or is already revoked."))
            .WithSummary("Revoke an API key (admins).");
        admin.MapGet("/users", (UserDirectory users) => users.ListAsync()).WithSummary("List users and their roles (admins).");
        admin.MapGet("/audit", (AuditLog audit, int? take, string? action, CancellationToken token) => audit.ListAsync(take ?? 200, action, token))
            .WithSummary("The audit log, newest first (admins): sign-ins, uploads, runs, verdicts, thresholds, downloads, keys, users.");
        admin.MapPost("/users", async (CreateUserRequest body, UserDirectory users, ClaimsPrincipal user) =>
                TypedResults.Created("/api/v1/users", await users.CreateAsync(body.Email, body.Password, body.Role, user.Identity?.Name)))
            .WithSummary("Create a user with a role (admins).");
        admin.MapPut("/users/{id}/role", async (string id, SetRoleRequest body, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetRoleAsync(id, body.Role, user.Identity?.Name);
                return TypedResults.NoContent();
            })
            .WithSummary("Give a user another role (admins); the user's sessions end within a minute and sign in again with the new role.");
        admin.MapPut("/users/{id}/password", async (string id, SetPasswordRequest body, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetPasswordAsync(id, body.Password, user.Identity?.Name);
                return TypedResults.NoContent();
            })
            .WithSummary("Set a user's password (admins); the user's sessions end within a minute.");
        admin.MapPost("/users/{id}/end-sessions", async (string id, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.EndSessionsAsync(id, user.Identity?.Name);
                return TypedResults.NoContent();
            })
            .WithSummary("End every session of a user (admins): their cookies and open pages are refused within a minute.");
        admin.MapPost("/users/{id}/disable", async (string id, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetDisabledAsync(id, disabled: true, user.Identity?.Name);
                return TypedResults.NoContent();
            })
            .WithSummary("Disable a user (admins): they cannot sign in, their sessions end within a minute and the API keys they created stop "
                + "authenticating until they are enabled; 409 for your own account or the last enabled admin.");
        admin.MapPost("/users/{id}/enable", async (string id, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetDisabledAsync(id, disabled: false, user.Identity?.Name);
                return TypedResults.NoContent();
            })
            .WithSummary("Enable a disabled user again (admins): they sign in as before and their API keys authenticate again.");
    }
}
