using FunAd.Engine.Devices;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Engine.Onnx;

/// <summary>ONNX Runtime sessions on the chosen device; the CUDA provider is asked for only on a CUDA device.</summary>
public static class OnnxSessionFactory
{
    public static InferenceSession Create(byte[] model, ComputeDevice device)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // Errors only: ONNX Runtime warns on every load of a memory bank that its optional input
            // exclude_image (an initializer listed among the inputs, on purpose) is not folded as a constant.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle worker threads sleep instead of spinning, leaving the cores to the image decoders that
        // run beside the backbone.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (device.IsCuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException)
            {
                // The CUDA provider's libraries are missing; the CPU provider still gives correct results.
            }
        }
        return new InferenceSession(model, options);
    }
}
