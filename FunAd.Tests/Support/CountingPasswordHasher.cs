using FunAd.Jobs.Catalogue;
using Microsoft.AspNetCore.Identity;

namespace FunAd.Tests.Support;

/// <summary>Identity's password hasher that counts its verifications: the work a sign-in answer cost, which must not tell accounts apart.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> inner = new();
    private int verifications;

    public int Verifications => verifications;

    public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
