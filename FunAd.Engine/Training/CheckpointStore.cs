using System.Text.Json;
using FunAd.Engine.Io;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// Training checkpoints in a folder: the Local-Net's weights, the optimiser's state, the epoch
/// reached, the history and the last bank candidates, written to a fresh folder and swapped in, so a run killed at any
/// moment finds either the previous checkpoint or the new one complete. A checkpoint is only
/// resumed by a run with the same fingerprint (same data and settings).
/// </summary>
public sealed class CheckpointStore(string directory)
{
    private const string StateFile = "state.json";

    public string Directory { get; } = directory;

    private sealed record State(int Epoch, string Fingerprint, List<EpochRecord> History, bool[]? Candidates);

    public void Save(int epoch, string fingerprint, IReadOnlyList<EpochRecord> history, bool[]? candidates, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var fresh = Directory + ".new";
        var old = Directory + ".old";
        if (System.IO.Directory.Exists(fresh)) System.IO.Directory.Delete(fresh, recursive: true);
        System.IO.Directory.CreateDirectory(fresh);
        foreach (var (name, value) in tensors)
        {
            using var cpu = value.detach().cpu();
            NpyWriter.WriteFloat32(Path.Combine(fresh, name + ".npy"), cpu.data<float>().ToArray(), cpu.shape.Select(d => (int)d).ToArray());
        }
        File.WriteAllText(Path.Combine(fresh, StateFile), JsonSerializer.Serialize(new State(epoch, fingerprint, [.. history], candidates)));
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
        using var _ = no_grad();
        foreach (var (name, value) in tensors)
        {
            var (data, shape) = NpyReader.ReadFloat32(Path.Combine(source, name + ".npy"));
            if (shape.Aggregate(1L, (a, b) => a * b) != value.numel())
                throw new InvalidDataException($"{source}: checkpoint tensor {name} has shape [{string.Join(",", shape)}], expected [{string.Join(",", value.shape)}].");
            value.copy_(tensor(data, value.shape));
        }
        return (state.Epoch, state.History, state.Candidates);
    }

    public void Delete()
    {
        foreach (var path in new[] { Directory, Directory + ".old", Directory + ".new" })
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
    }
}
