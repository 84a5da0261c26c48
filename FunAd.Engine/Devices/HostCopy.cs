using static TorchSharp.torch;

namespace FunAd.Engine.Devices;

/// <summary>
/// A tensor's values copied to managed memory. The detached and host-side tensors made on the way are
/// disposed here, on the calling thread: left to the finalizer thread, their disposal raced libtorch on
/// the training thread of the next run (the worker crash of issue 15).
/// </summary>
public static class HostCopy
{
    public static (float[] Values, long[] Shape) Of(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var host = tensor.detach().cpu();
        return (host.data<float>().ToArray(), host.shape);
    }

    /// <summary>A detached copy on the tensor's device, owned by the caller (outside any dispose scope).</summary>
    public static Tensor DetachedClone(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return tensor.detach().clone().MoveToOuterDisposeScope();
    }
}
