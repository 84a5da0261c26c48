namespace FunAd.Jobs.Storage;

/// <summary>
/// Checks, before anything opens a database there, that the data root can be written: a read-only
/// or missing mount should stop the app with one clear sentence, not a database driver's stack trace.
/// </summary>
public static class DataRootProbe
{
    public static void EnsureWritable(string dataRoot)
    {
        var root = Path.GetFullPath(dataRoot);
        var probe = Path.Combine(root, $".write-probe-{Guid.NewGuid():N}{ArtifactStore.TemporarySuffix}");
        try
        {
            Directory.CreateDirectory(root);
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"The data root {root} cannot be written ({e.Message.TrimEnd('.')}). Point FunAd__DataRoot at a writable folder, or make this one writable.", e);
        }
    }
}
