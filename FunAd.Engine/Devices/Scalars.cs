using TorchSharp;

namespace FunAd.Engine.Devices;

/// <summary>
/// Scalars that live as long as the process. TorchSharp 0.107 turns a number argument into a temporary
/// native Scalar and hands libtorch only its handle, so nothing keeps the temporary alive during the
/// call: a garbage collection there lets its finaliser free it while libtorch reads it (CI saw a failed
/// check in leaky_relu's toFloat during a training run). Even <c>tensor + tensor</c> makes one (its
/// alpha, 1). Engine code therefore never passes a bare number where TorchSharp wants a Scalar: it
/// passes one of these, or one it made with <c>ToScalar</c> and holds with <c>using</c> across the call.
/// ScalarLifetimeTests reads the compiled code to keep it so.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar MinusTwo = (-2).ToScalar();
    public static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();
}
