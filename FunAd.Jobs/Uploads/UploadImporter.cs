using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Imports a batch of uploaded files (images, zip archives of images, MVTec-style folders with
/// ground-truth masks) into a project and gives a verdict on every file and archive entry: accepted,
/// duplicate, or refused with the reason. One bad file never stops the others; files are stored by
/// content hash with atomic writes, the batch's rows are saved in one transaction at the end, and when
/// that fails the files the batch wrote are deleted again, so nothing is ever half-imported.
/// </summary>
/// <remarks>
/// Files are read, hashed and decoded one at a time: decoding untrusted images is CPU- and memory-heavy
/// (bounded by <see cref="DecodeLimits"/>), and the server's cores belong to training.
/// </remarks>
public sealed class UploadImporter
{
    /// <summary>Saving is retried when other uploads saved some of the same pictures first.</summary>
    private const int SaveAttempts = 3;

    private readonly IDbContextFactory<CatalogueDbContext> _catalogue;
    private readonly ArtifactStore _store;
    private readonly UploadLimits _limits;
    private readonly DecodeLimits _decodeLimits;

    public UploadImporter(IDbContextFactory<CatalogueDbContext> catalogue, ArtifactStore store, UploadLimits limits, DecodeLimits decodeLimits)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(decodeLimits);
        limits.Validate();
        _catalogue = catalogue;
        _store = store;
        _limits = limits;
        _decodeLimits = decodeLimits;
    }

    /// <summary>The byte limit of one image or mask: the tighter of the upload's and the decoder's.</summary>
    private long MaxFileBytes => Math.Min(_limits.MaxFileBytes, _decodeLimits.MaxFileBytes);

    /// <summary>Imports <paramref name="files"/> into the project and reports on each of them.</summary>
    /// <exception cref="KeyNotFoundException">There is no such project.</exception>
    /// <exception cref="InvalidOperationException">The project is archived.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing of the batch is kept.</exception>
    public async Task<UploadReport> ImportAsync(int projectId, IReadOnlyList<UploadedFile> files, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        await EnsureProjectTakesUploadsAsync(projectId, cancellation);
        var stored = await LoadProjectImagesAsync(projectId, cancellation);
        var inProject = stored.ToDictionary(i => i.Hash, StringComparer.Ordinal);
        var storedById = stored.ToDictionary(i => i.Id);

        var archives = new List<OpenedArchive>();
        var written = new BatchFiles(_store, _catalogue, projectId);
        try
        {
            var items = await ListItemsAsync(files, archives, cancellation);
            var relabel = MvtecLayout.Apply(items, stored);

            var firstByHash = new Dictionary<string, UploadItem>(StringComparer.Ordinal);
            var refusedByHash = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var image in items.Where(i => i.State == ItemState.Pending && !i.IsMask))
            {
                cancellation.ThrowIfCancellationRequested();
                await ImportImageAsync(projectId, image, inProject, firstByHash, refusedByHash, written, cancellation);
            }
            // Masks come second: they need their image's hash and size.
            foreach (var mask in items.Where(i => i.State == ItemState.Pending && i.IsMask))
            {
                cancellation.ThrowIfCancellationRequested();
                await ImportMaskAsync(projectId, mask, storedById, written, cancellation);
            }

            cancellation.ThrowIfCancellationRequested();
            var error = await SaveAsync(projectId, items, relabel);
            await written.RemoveUnreferencedAsync(SavedPaths(items));
            return Report(items, error);
        }
        catch
        {
            // Cancelled or broken half-way: no row of this batch was saved, so none of its files may stay.
            await written.RemoveUnreferencedAsync(new HashSet<string>());
            throw;
        }
        finally
        {
            foreach (var archive in archives) archive.Dispose();
            await written.ReleaseAllAsync();
        }
    }

    private async Task EnsureProjectTakesUploadsAsync(int projectId, CancellationToken cancellation)
    {
        await using var db = await _catalogue.CreateDbContextAsync(cancellation);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new { p.Name, p.Archived }).SingleOrDefaultAsync(cancellation)
            ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
        if (project.Archived)
            throw new InvalidOperationException($"Project '{project.Name}' ({projectId}) is archived; unarchive it before uploading images.");
    }

    /// <summary>The project's images: duplicates are found by their hashes, masks and labels of a later batch by their paths.</summary>
    private async Task<List<StoredImage>> LoadProjectImagesAsync(int projectId, CancellationToken cancellation)
    {
        await using var db = await _catalogue.CreateDbContextAsync(cancellation);
        return await db.Images.AsNoTracking().Where(i => i.ProjectId == projectId)
            .Select(i => new StoredImage(i.Id, i.OriginalName, i.ContentHash, i.Width, i.Height, i.Label, i.DefectType, i.MaskPath != null))
            .ToListAsync(cancellation);
    }

    /// <summary>Every file and archive entry, in upload order, judged by name only (archives are opened).</summary>
    private async Task<List<UploadItem>> ListItemsAsync(IReadOnlyList<UploadedFile> files, List<OpenedArchive> archives, CancellationToken cancellation)
    {
        var items = new List<UploadItem>();
        foreach (var file in files)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!UploadPath.TryNormalize(file.Name, out var path))
            {
                var shown = UploadPath.Printable(file.Name);
                items.Add(UploadItem.RefusedAt(shown, $"unsafe file name ('{shown}')"));
                continue;
            }
            if (!UploadFileTypes.IsZip(UploadPath.Extension(path)))
            {
                items.Add(Classify(path, ItemSource.Of(file), insideArchive: false));
                continue;
            }

            var (archive, refusal) = await OpenedArchive.OpenAsync(file, _store, _limits, cancellation);
            if (archive is null)
            {
                items.Add(UploadItem.RefusedAt(path, refusal!));
                continue;
            }
            archives.Add(archive);
            int before = items.Count;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (UploadPath.IsFolder(entry.FullName)) continue;
                if (!UploadPath.TryNormalize(entry.FullName, out var entryPath))
                {
                    var shown = UploadPath.Printable(entry.FullName);
                    items.Add(UploadItem.RefusedAt($"{path}/{shown}", $"unsafe path in the archive ('{shown}')"));
                    continue;
                }
                // A Unix symbolic link stored in a zip: its "content" is a path, and following it is how archives escape.
                if (ZipEntryKinds.IsSymbolicLink(entry))
                {
                    items.Add(UploadItem.RefusedAt($"{path}/{entryPath}", "symbolic link in the archive, not a file"));
                    continue;
                }
                // Two entries with one name: which one a person meant is unknowable, so only the first counts.
                if (!seen.Add(entryPath))
                {
                    items.Add(UploadItem.RefusedAt($"{path}/{entryPath}", $"the archive holds '{entryPath}' more than once; only the first is used"));
                    continue;
                }
                items.Add(Classify($"{path}/{entryPath}", ItemSource.Of(archive, entry), insideArchive: true));
            }
            if (items.Count == before) items.Add(UploadItem.RefusedAt(path, "archive holds no files"));
        }
        return items;
    }

    private UploadItem Classify(string path, ItemSource source, bool insideArchive)
    {
        var extension = UploadPath.Extension(path);
        string? refusal =
            path.Length > _limits.MaxNameLength ? $"name is longer than {_limits.MaxNameLength} characters"
            : UploadFileTypes.IsMacMetadata(path) ? "macOS metadata (__MACOSX or ._ file), not an image"
            // Nested archives are refused rather than opened: each level would multiply the expansion
            // budget, and a zip of zips is easy to re-pack as one.
            : insideArchive && (UploadFileTypes.IsZip(extension) || UploadFileTypes.IsOtherArchive(extension))
                ? "archive inside an archive is not opened; upload it on its own"
            : UploadFileTypes.IsOtherArchive(extension) ? $"'{extension}' archives are not opened; upload images or a .zip"
            : !UploadFileTypes.IsImage(extension) ? UploadFileTypes.NotAnImageReason(extension)
            : null;
        if (refusal is not null) return UploadItem.RefusedAt(path, refusal);
        return new UploadItem(path, path, source);
    }

    private async Task ImportImageAsync(int projectId, UploadItem item, Dictionary<string, StoredImage> inProject,
        Dictionary<string, UploadItem> firstByHash, Dictionary<string, string> refusedByHash, BatchFiles written, CancellationToken cancellation)
    {
        if (await ReadAsync(item, cancellation) is not { } bytes) return;
        var hash = ContentHash.Of(bytes);

        if (inProject.TryGetValue(hash, out var known))
        {
            item.MarkDuplicate($"same content as '{known.Path}', already in the project", known.Id, null);
            return;
        }
        if (firstByHash.TryGetValue(hash, out var first))
        {
            item.MarkDuplicate($"same content as '{first.Name}', earlier in this upload", null, first);
            return;
        }
        // The same bytes get the same answer; a hostile file repeated a thousand times is decoded once.
        if (refusedByHash.TryGetValue(hash, out var refusal))
        {
            item.Refuse(refusal);
            return;
        }

        if (Decode(item, bytes) is not { } image)
        {
            refusedByHash[hash] = item.Reason!;
            return;
        }
        var thumbnail = ThumbnailEncoder.Encode(image);
        var storedPath = ArtifactStore.ImagePath(projectId, hash, UploadPath.Extension(item.Path));
        var thumbnailPath = ArtifactStore.ThumbnailPath(projectId, hash);
        try
        {
            await written.WriteAsync(storedPath, hash, StoredFileKind.Image, bytes);
            await written.WriteAsync(thumbnailPath, hash, StoredFileKind.Thumbnail, thumbnail);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            item.Refuse($"could not be stored: {StorageFailure.Describe(e)}");
            return;
        }

        item.Hash = hash;
        item.StoredPath = storedPath;
        item.ThumbnailPath = thumbnailPath;
        item.SizeBytes = bytes.LongLength;
        item.Width = image.Width;
        item.Height = image.Height;
        firstByHash[hash] = item;
    }

    /// <summary>
    /// Stores a mask for its image: one of this upload, or one the project holds (its image came in an
    /// earlier batch, or this upload's copy of it is a duplicate of a stored image without a mask).
    /// </summary>
    private async Task ImportMaskAsync(int projectId, UploadItem mask, Dictionary<long, StoredImage> storedById, BatchFiles written,
        CancellationToken cancellation)
    {
        if (mask.Partner is { State: ItemState.Duplicate, DuplicateOfImageId: { } storedId } duplicate)
        {
            var original = storedById.GetValueOrDefault(storedId);
            if (original is null || original.HasMask)
            {
                mask.MarkDuplicate($"its image '{duplicate.Name}' is already in the project with a mask", storedId, null);
                return;
            }
            mask.StoredPartner = original;
        }
        var (name, hash, width, height) = mask.StoredPartner is { } stored
            ? (stored.Path, stored.Hash, stored.Width, stored.Height)
            : (mask.Partner!.Name, mask.Partner.Hash, mask.Partner.Width, mask.Partner.Height);
        if (mask.StoredPartner is null && mask.Partner!.State != ItemState.Pending)
        {
            mask.Refuse($"its image '{name}' was {(mask.Partner.State == ItemState.Duplicate ? "a duplicate" : "refused")}, so the mask is not attached");
            return;
        }
        if (await ReadAsync(mask, cancellation) is not { } bytes || Decode(mask, bytes) is not { } decoded) return;
        if (decoded.Width != width || decoded.Height != height)
        {
            mask.Refuse($"mask is {decoded.Width}x{decoded.Height} but its image '{name}' is {width}x{height}");
            return;
        }

        var maskPath = ArtifactStore.MaskPath(projectId, hash!);
        try
        {
            await written.WriteAsync(maskPath, hash!, StoredFileKind.Mask, MaskEncoder.EncodeBinary(decoded));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            mask.Refuse($"could not be stored: {StorageFailure.Describe(e)}");
            return;
        }
        if (mask.StoredPartner is not null) mask.MaskPath = maskPath;
        else mask.Partner!.MaskPath = maskPath;
    }

    /// <summary>The item's bytes, or null with the item refused (too large, empty, unreadable...).</summary>
    private async Task<byte[]?> ReadAsync(UploadItem item, CancellationToken cancellation)
    {
        var read = await item.Source!.ReadAsync(MaxFileBytes, cancellation);
        if (read.Refusal is { } refusal) item.Refuse(refusal);
        else if (read.Bytes!.Length == 0) item.Refuse("file is empty");
        else return read.Bytes;
        return null;
    }

    /// <summary>The decoded image, or null with the item refused with the decoder's reason.</summary>
    private RgbImage? Decode(UploadItem item, byte[] bytes)
    {
        try
        {
            return ImageLoader.Load(new MemoryStream(bytes, writable: false), item.Name, _decodeLimits);
        }
        catch (ImageDecodeException e)
        {
            item.Refuse(e.Reason);
            return null;
        }
    }

    /// <summary>
    /// Saves the rows of every image still pending in one transaction, after checking the project is
    /// still there and open. Returns null when saved (or nothing to save), else why the batch failed.
    /// </summary>
    /// <remarks>
    /// Once the work is done the save is not cancelled: it is short, and stopping it half-way gains nothing.
    /// </remarks>
    private async Task<string?> SaveAsync(int projectId, List<UploadItem> items, IReadOnlyList<StoredRelabel> relabel)
    {
        string? lastError = null;
        for (int attempt = 0; attempt < SaveAttempts; attempt++)
        {
            var pending = items.Where(i => !i.IsMask && i.State == ItemState.Pending).ToList();
            var forStored = items.Where(i => i.IsMask && i.State == ItemState.Pending && i.StoredPartner is not null && i.MaskPath is not null).ToList();
            if (pending.Count == 0 && forStored.Count == 0 && relabel.Count == 0) return null;
            try
            {
                await using var db = await _catalogue.CreateDbContextAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var project = await db.Projects.Where(p => p.Id == projectId).Select(p => new { p.Archived }).SingleOrDefaultAsync();
                if (project is null) return $"project {projectId} was deleted during the upload";
                if (project.Archived) return $"project {projectId} was archived during the upload";

                var rows = pending.Select(i => ToAsset(projectId, i)).ToList();
                db.Images.AddRange(rows);
                await db.SaveChangesAsync();
                // Masks of images stored earlier, only where no mask arrived meanwhile; labels the layout now knows, only where none was set.
                var attached = new List<UploadItem>();
                foreach (var mask in forStored)
                {
                    // A mask makes an unlabeled image a defect of the mask's type.
                    var defect = mask.DefectType;
                    if (await db.Images.Where(i => i.Id == mask.StoredPartner!.Id && i.MaskPath == null)
                            .ExecuteUpdateAsync(u => u
                                .SetProperty(i => i.MaskPath, mask.MaskPath)
                                .SetProperty(i => i.DefectType, i => i.Label == ImageLabel.Unlabeled ? defect : i.DefectType)
                                .SetProperty(i => i.Label, i => i.Label == ImageLabel.Unlabeled ? ImageLabel.Anomalous : i.Label)) == 1)
                        attached.Add(mask);
                }
                foreach (var group in relabel.GroupBy(r => (r.Label, r.DefectType)))
                {
                    var ids = group.Select(r => r.Id).ToList();
                    await db.Images.Where(i => ids.Contains(i.Id) && i.Label == ImageLabel.Unlabeled)
                        .ExecuteUpdateAsync(u => u.SetProperty(i => i.Label, group.Key.Label).SetProperty(i => i.DefectType, group.Key.DefectType));
                }
                await transaction.CommitAsync();
                for (int i = 0; i < pending.Count; i++)
                {
                    pending[i].MarkCommitted(rows[i].Id);
                    if (pending[i].MaskPath is not null) pending[i].Partner!.MarkCommitted(rows[i].Id);
                }
                foreach (var mask in forStored)
                {
                    if (attached.Contains(mask)) mask.MarkCommitted(mask.StoredPartner!.Id);
                    else mask.MarkDuplicate($"its image '{mask.StoredPartner!.Path}' got a mask from another upload meanwhile", mask.StoredPartner.Id, null);
                }
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lastError = StorageFailure.Storage(e) ?? $"the catalogue could not be written: {Innermost(e).Message}";
                // The usual cause is another upload that saved some of the same pictures since this one
                // looked (the unique index on project and hash): those become duplicates, the rest is
                // saved again. Anything else fails the batch.
                if (!await DemoteSavedMeanwhileAsync(projectId, pending)) return lastError;
            }
        }
        return lastError;
    }

    private async Task<bool> DemoteSavedMeanwhileAsync(int projectId, List<UploadItem> pending)
    {
        var hashes = pending.Select(i => i.Hash!).ToList();
        Dictionary<string, (long Id, string Name)> saved;
        try
        {
            await using var db = await _catalogue.CreateDbContextAsync();
            saved = await db.Images.AsNoTracking()
                .Where(i => i.ProjectId == projectId && hashes.Contains(i.ContentHash))
                .Select(i => new { i.ContentHash, i.Id, i.OriginalName })
                .ToDictionaryAsync(i => i.ContentHash, i => (i.Id, i.OriginalName), StringComparer.Ordinal);
        }
        catch (Exception)
        {
            return false;
        }

        foreach (var item in pending)
        {
            if (!saved.TryGetValue(item.Hash!, out var other)) continue;
            item.MarkDuplicate($"same content as '{other.Name}', saved by another upload meanwhile", other.Id, null);
            if (item.MaskPath is not null)
                item.Partner!.Refuse($"its image '{item.Name}' was a duplicate, so the mask is not attached");
        }
        return saved.Count > 0;
    }

    private static ImageAsset ToAsset(int projectId, UploadItem item) => new()
    {
        ProjectId = projectId,
        ContentHash = item.Hash!,
        OriginalName = item.Name,
        StoredPath = item.StoredPath!,
        SizeBytes = item.SizeBytes,
        Width = item.Width,
        Height = item.Height,
        Label = item.Label,
        DefectType = item.DefectType,
        MaskPath = item.MaskPath,
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>The stored files the saved rows of this batch reference.</summary>
    private static HashSet<string> SavedPaths(List<UploadItem> items) =>
        items.Where(i => i.State == ItemState.Committed && (!i.IsMask || i.StoredPartner is not null))
            .SelectMany(i => new[] { i.StoredPath, i.ThumbnailPath, i.MaskPath })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    private static UploadReport Report(List<UploadItem> items, string? error) =>
        new(items.Select(i => Verdict(i, error)).ToList(), error);

    private static FileVerdict Verdict(UploadItem item, string? error)
    {
        FileVerdict Make(string outcome, string? reason, long? imageId, bool hasMask = false) =>
            new(item.Name, outcome, reason, imageId, item.Label, item.DefectType, hasMask, item.IsMask);

        switch (item.State)
        {
            case ItemState.Committed:
                return Make(UploadOutcome.Accepted, null, item.ImageId, hasMask: item.IsMask || item.MaskPath is not null);
            case ItemState.Duplicate when item.DuplicateOfItem is { } first:
                // A repeat of a file of this upload shares that file's fate.
                return first.State switch
                {
                    ItemState.Committed => Make(UploadOutcome.Duplicate, item.Reason, first.ImageId),
                    ItemState.Duplicate => Make(UploadOutcome.Duplicate, item.Reason, first.DuplicateOfImageId),
                    _ => Make(UploadOutcome.Refused, $"not saved: {error}", null),
                };
            case ItemState.Duplicate:
                return Make(UploadOutcome.Duplicate, item.Reason, item.DuplicateOfImageId);
            case ItemState.Refused:
                return Make(UploadOutcome.Refused, item.Reason, null);
            default:
                return Make(UploadOutcome.Refused, $"not saved: {error}", null);
        }
    }
}
