using TorchSharp;
using FunAd.Engine.Devices;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// RMSProp with momentum, exactly as PyTorch's (centered off, no weight decay):
/// v = alpha v + (1 - alpha) g^2; b = momentum b + g / (sqrt(v) + eps); p -= lr b.
/// Written out so that its state can be checkpointed and restored by name.
/// </summary>
public sealed class RmsProp(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, double learningRate, double alpha, double epsilon, double momentum)
    : IDisposable
{
    private readonly Dictionary<string, (Tensor SquareAverage, Tensor Buffer)> _state = parameters.ToDictionary(
        p => p.Name, p => (zeros_like(p.Parameter).DetachFromDisposeScope(), zeros_like(p.Parameter).DetachFromDisposeScope()));

    public void ZeroGrad()
    {
        foreach (var (_, parameter) in parameters) parameter.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        // Held across the native calls (see Scalars).
        using var decay = alpha.ToScalar();
        using var gain = (1 - alpha).ToScalar();
        using var eps = epsilon.ToScalar();
        using var inertia = momentum.ToScalar();
        using var step = (-learningRate).ToScalar();
        foreach (var (name, parameter) in parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null) continue;
            var (squareAverage, buffer) = _state[name];
            squareAverage.mul_(decay).addcmul_(gradient, gradient, gain);
            using var denominator = squareAverage.sqrt().add_(eps, Scalars.One);
            buffer.mul_(inertia).addcdiv_(gradient, denominator, Scalars.One);
            parameter.add_(buffer, step);
        }
    }

    /// <summary>The state tensors by name ("name.v", "name.b"), for checkpoints.</summary>
    public IEnumerable<(string Name, Tensor Value)> State() =>
        _state.SelectMany(s => new[] { ($"{s.Key}.v", s.Value.SquareAverage), ($"{s.Key}.b", s.Value.Buffer) });

    public void Dispose()
    {
        foreach (var (v, b) in _state.Values)
        {
            v.Dispose();
            b.Dispose();
        }
    }
}
