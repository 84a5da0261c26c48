using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Security;

/// <summary>A user as the admin page lists them (Disabled: by an admin, see <see cref="AppUser.Disabled"/>).</summary>
public sealed record UserSummary(string Id, string Email, string Role, DateTimeOffset CreatedAt, bool LockedOut, bool Disabled);

/// <summary>
/// Users and their single role: the roles exist from the start, the first admin comes from
/// FUNAD_ADMIN_EMAIL / FUNAD_ADMIN_PASSWORD or the one-time set-up page, admins add the others.
/// </summary>
public sealed class UserDirectory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, AuditLog audit, ApiKeyService keys)
{
    public const string AdminEmailVariable = "FUNAD_ADMIN_EMAIL";
    public const string AdminPasswordVariable = "FUNAD_ADMIN_PASSWORD";

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
    }

    public Task<bool> AnyUserAsync() => users.Users.AnyAsync();

    /// <summary>Creates a user with one role; throws ArgumentException with Identity's reasons (weak password, taken e-mail).</summary>
    public async Task<UserSummary> CreateAsync(string email, string password, string role, string? by = null)
    {
        email = email?.Trim() ?? "";
        if (!email.Contains('@')) throw new ArgumentException($"'{email}' is not an e-mail address.");
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}': use {string.Join(", ", Roles.All)}.");
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Check(await users.CreateAsync(user, password ?? ""), email);
        Check(await users.AddToRoleAsync(user, role), email);
        await audit.RecordAsync(by ?? "system", "user created", email, role);
        return new UserSummary(user.Id, email, role, user.CreatedAt, false, false);
    }

    /// <summary>The first admin, only while no user exists (the set-up page and the environment variables).</summary>
    public async Task<UserSummary?> CreateFirstAdminAsync(string email, string password)
    {
        if (await AnyUserAsync()) return null;
        return await CreateAsync(email, password, Roles.Admin);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        var list = new List<UserSummary>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync())
        {
            var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? Roles.Viewer;
            list.Add(new UserSummary(user.Id, user.Email ?? user.UserName ?? user.Id, role, user.CreatedAt, await users.IsLockedOutAsync(user), user.Disabled));
        }
        return list;
    }

    /// <summary>Gives a user another role; refuses to take the last enabled admin's role away.</summary>
    public async Task SetRoleAsync(string userId, string role, string? by = null)
    {
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}'.");
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"User {userId} does not exist.");
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastEnabledAdminAsync(user))
            throw new InvalidOperationException("This is the last enabled admin: make another user admin first.");
        Check(await users.RemoveFromRolesAsync(user, current), user.Email ?? userId);
        Check(await users.AddToRoleAsync(user, role), user.Email ?? userId);
        // Identity does not rotate the stamp on a role change; without this an old cookie keeps the old role.
        Check(await users.UpdateSecurityStampAsync(user), user.Email ?? userId);
        await audit.RecordAsync(by, "role changed", user.Email ?? userId, $"{string.Join(",", current)} -> {role}");
    }

    /// <summary>Sets a user's password (an admin's reset); Identity rotates the stamp, so the user's sessions end within a minute.</summary>
    public async Task SetPasswordAsync(string userId, string password, string? by)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"User {userId} does not exist.");
        // Validate first, so a weak password leaves the old one in place.
        foreach (var validator in users.PasswordValidators) Check(await validator.ValidateAsync(users, user, password ?? ""), user.Email ?? userId);
        if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user), user.Email ?? userId);
        Check(await users.AddPasswordAsync(user, password ?? ""), user.Email ?? userId);
        await audit.RecordAsync(by, "password set", user.Email ?? userId);
    }

    /// <summary>Ends every session of a user (each cookie and open page is refused at its next check, within a minute).</summary>
    public async Task EndSessionsAsync(string userId, string? by, string reason = "sessions ended")
    {
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"User {userId} does not exist.");
        Check(await users.UpdateSecurityStampAsync(user), user.Email ?? userId);
        await audit.RecordAsync(by, reason, user.Email ?? userId);
    }

    /// <summary>
    /// Disables a user (they cannot sign in, their sessions end within a minute through the security
    /// stamp, as "end sessions" does, and the API keys they created stop authenticating) or enables them
    /// again. Refuses an admin's own account and the last enabled admin, so the app always keeps an admin
    /// who can sign in. Doing what is already done changes and records nothing.
    /// </summary>
    public async Task SetDisabledAsync(string userId, bool disabled, string? by)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"User {userId} does not exist.");
        var name = user.Email ?? user.UserName ?? userId;
        if (user.Disabled == disabled) return;
        if (disabled)
        {
            if (by is not null && users.NormalizeName(by) == user.NormalizedUserName)
                throw new InvalidOperationException("You cannot disable your own account: another admin can.");
            if (await users.IsInRoleAsync(user, Roles.Admin) && await IsLastEnabledAdminAsync(user))
                throw new InvalidOperationException($"{name} is the last enabled admin: make another user admin first.");
        }
        user.Disabled = disabled;
        // Disabling rotates the stamp, which also saves the flag: every cookie and open page of the user is refused at its next check.
        Check(disabled ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user), name);
        var liveKeys = user.UserName is null ? 0 : await keys.CountLiveKeysCreatedByAsync(user.UserName);
        await audit.RecordAsync(by, disabled ? "user disabled" : "user enabled", name,
            liveKeys == 0 ? null : $"{liveKeys} API key(s) they created {(disabled ? "stop authenticating" : "authenticate again")}");
    }

    private async Task<bool> IsLastEnabledAdminAsync(AppUser user) =>
        !user.Disabled && (await users.GetUsersInRoleAsync(Roles.Admin)).All(admin => admin.Id == user.Id || admin.Disabled);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new ArgumentException($"{what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
