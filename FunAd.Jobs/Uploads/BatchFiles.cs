using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Uploads;

/// <summary>What a stored file is to the image its hash names: which row column would reference it.</summary>
internal enum StoredFileKind
{
    Image,
    Thumbnail,
    Mask,
}

/// <summary>
/// The files one import writes into the artifact store, so that those no saved row ends up
/// referencing (all of them when the batch fails, the pictures another upload saved first otherwise)
/// are deleted again. Files are claimed in <see cref="StoredFileClaims"/> while the import runs.
/// </summary>
internal sealed class BatchFiles(ArtifactStore store, IDbContextFactory<CatalogueDbContext> catalogue, int projectId)
{
    private readonly Dictionary<string, (string Hash, StoredFileKind Kind)> _written = new(StringComparer.Ordinal);

    /// <summary>Claims the file, then writes it atomically (temporary name, flush, move).</summary>
    public async Task WriteAsync(string relativePath, string hash, StoredFileKind kind, byte[] bytes)
    {
        if (!_written.ContainsKey(relativePath))
        {
            await StoredFileClaims.ClaimAsync(store.Resolve(relativePath));
            _written[relativePath] = (hash, kind);
        }
        store.WriteAtomically(relativePath, bytes);
    }

    /// <summary>
    /// Deletes every written file except <paramref name="saved"/> (paths rows of this batch reference)
    /// that no row references and no other running import claims. When the catalogue cannot tell
    /// whether a row references a file, the file is kept: a stray file is harmless, a missing one is not.
    /// </summary>
    public async Task RemoveUnreferencedAsync(IReadOnlySet<string> saved)
    {
        foreach (var (path, (hash, kind)) in _written.Where(w => !saved.Contains(w.Key)))
        {
            try
            {
                await StoredFileClaims.DeleteIfUnusedAsync(store.Resolve(path), () => IsReferencedAsync(path, hash, kind));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for an operator; the next upload of the same picture overwrites it.
            }
        }
    }

    public async Task ReleaseAllAsync()
    {
        foreach (var path in _written.Keys) await StoredFileClaims.ReleaseAsync(store.Resolve(path));
        _written.Clear();
    }

    private async Task<bool> IsReferencedAsync(string path, string hash, StoredFileKind kind)
    {
        try
        {
            await using var db = await catalogue.CreateDbContextAsync();
            var rows = await db.Images.AsNoTracking()
                .Where(i => i.ProjectId == projectId && i.ContentHash == hash)
                .Select(i => new { i.StoredPath, i.MaskPath })
                .ToListAsync();
            return kind switch
            {
                StoredFileKind.Image => rows.Any(r => r.StoredPath == path),
                StoredFileKind.Mask => rows.Any(r => r.MaskPath == path),
                _ => rows.Count > 0, // a thumbnail is named by the hash alone
            };
        }
        catch (Exception)
        {
            return true;
        }
    }
}
