using System.Text.Json;
using FunAd.Engine.Devices;
using FunAd.Engine.Io;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// Training checkpoints in a folder: the Local-Net's weights, the optimiser's state, the epoch
/// reached, the history and the last bank candidates, written to a fresh folder and swapped in, so a run killed at any
/// moment finds either the previous checkpoint or the new one complete. A checkpoint is only
/// resumed by a run with the same fingerprint (same data and settings). The state file carries a
/// SHA-256 of every tensor file: a copy taken while the folders were being swapped (a backup of a
/// running instance) can mix two checkpoints, and such a mix is refused rather than resumed.
/// </summary>
public sealed class CheckpointStore(string directory)
{
    private const string StateFile = "state.json";

    public string Directory { get; } = directory;

    /// <param name="Digests">File name to SHA-256 (hex); null in checkpoints written before digests existed.</param>
    private sealed record State(int Epoch, string Fingerprint, List<EpochRecord> History, bool[]? Candidates, Dictionary<string, string>? Digests = null);

    public void Save(int epoch, string fingerprint, IReadOnlyList<EpochRecord> history, bool[]? candidates, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var fresh = Directory + ".new";
        var old = Directory + ".old";
        if (System.IO.Directory.Exists(fresh)) System.IO.Directory.Delete(fresh, recursive: true);
        System.IO.Directory.CreateDirectory(fresh);
        var digests = new Dictionary<string, string>();
        foreach (var (name, value) in tensors)
        {
            var (values, shape) = HostCopy.Of(value);
            var file = Path.Combine(fresh, name + ".npy");
            NpyWriter.WriteFloat32(file, values, shape.Select(d => (int)d).ToArray());
            digests[name + ".npy"] = Digest(file);
        }
        File.WriteAllText(Path.Combine(fresh, StateFile), JsonSerializer.Serialize(new State(epoch, fingerprint, [.. history], candidates, digests)));
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Move(Directory, old);
        System.IO.Directory.Move(fresh, Directory);
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
    }

    /// <summary>
    /// Restores the tensors in place and returns the epoch to continue from, the history so far and the
    /// bank candidates of the last epoch, or null when there is nothing to resume.
    /// </summary>
    public (int Epoch, List<EpochRecord> History, bool[]? Candidates)? TryRestore(string fingerprint, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        // A run killed between the two moves of Save leaves the complete previous checkpoint in ".old".
        var source = System.IO.Directory.Exists(Directory) ? Directory : System.IO.Directory.Exists(Directory + ".old") ? Directory + ".old" : null;
        if (source is null || !File.Exists(Path.Combine(source, StateFile))) return null;
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(Path.Combine(source, StateFile)));
        if (state is null || state.Fingerprint != fingerprint) return null;
        var list = tensors.ToList();
        // Check every file before touching any tensor: a mixed copy must leave the fresh net as it was.
        if (state.Digests is { } digests && list.Any(t => !File.Exists(Path.Combine(source, t.Name + ".npy"))
                || !digests.TryGetValue(t.Name + ".npy", out var expected) || Digest(Path.Combine(source, t.Name + ".npy")) != expected))
            return null;
        using var _ = no_grad();
        foreach (var (name, value) in list)
        {
            var (data, shape) = NpyReader.ReadFloat32(Path.Combine(source, name + ".npy"));
            if (shape.Aggregate(1L, (a, b) => a * b) != value.numel())
                throw new InvalidDataException($"{source}: checkpoint tensor {name} has shape [{string.Join(",", shape)}], expected [{string.Join(",", value.shape)}].");
            using var saved = tensor(data, value.shape);
            value.copy_(saved);
        }
        return (state.Epoch, state.History, state.Candidates);
    }

    private static string Digest(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    public void Delete()
    {
        foreach (var path in new[] { Directory, Directory + ".old", Directory + ".new" })
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
    }
}
