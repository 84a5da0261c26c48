using FunAd.Engine.Devices;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Engine.Onnx;

/// <summary>
/// An ONNX Runtime session with one image input and fixed outputs, and the RunOptions it runs with,
/// held as long as the session: ONNX Runtime's Run reads only the options' handle, so options made
/// inline for one call can be finalised (and freed) while the native call still uses them, which
/// crashed long runs. The backbone's feature graph and the exported model both run through this.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;

    public OnnxSession(byte[] model, ComputeDevice device, string inputName, params string[] outputNames)
    {
        session = OnnxSessionFactory.Create(model, device);
        inputNames = [inputName];
        this.outputNames = outputNames;
    }

    /// <summary>Runs the model; the caller disposes the outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(OrtValue input) => session.Run(runOptions, inputNames, [input], outputNames);

    /// <summary>Runs the model into the caller's output buffers (no allocation per call).</summary>
    public void Run(OrtValue input, IReadOnlyCollection<OrtValue> outputs) => session.Run(runOptions, inputNames, [input], outputNames, outputs);

    /// <summary>The same, also feeding an optional input (an overridable initializer) by name.</summary>
    public void Run(OrtValue input, string optionalName, OrtValue optional, IReadOnlyCollection<OrtValue> outputs) =>
        session.Run(runOptions, [inputNames[0], optionalName], [input, optional], outputNames, outputs);

    /// <summary>Whether the model has an optional input (an initializer that is also a graph input) of this name.</summary>
    public bool HasOptionalInput(string name) => session.OverridableInitializerMetadata.ContainsKey(name);

    /// <summary>The model's metadata value for <paramref name="key"/>, or null.</summary>
    public string? Metadata(string key) => session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(key);

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
