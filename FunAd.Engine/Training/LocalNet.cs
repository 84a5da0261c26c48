using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// FUN-AD's Local-Net: an adaptor Linear(D, D) + LeakyReLU(0.2) whose output is the feature every
/// nearest-neighbour search uses, and a discriminator D -> 1024 -> 128 -> 1 with LeakyReLU(0.2) and a
/// sigmoid giving the anomaly score s. Submodules are named so saved weights have stable names.
/// </summary>
public sealed class LocalNet : nn.Module<Tensor, Tensor>
{
    // Held for the process's life: a number passed to leaky_relu becomes a temporary Scalar (see Scalars).
    private static readonly Scalar Slope = 0.2.ToScalar();
    private readonly Linear adaptor;
    private readonly Linear hidden1;
    private readonly Linear hidden2;
    private readonly Linear output;

    public LocalNet(int dimension) : base(nameof(LocalNet))
    {
        Dimension = dimension;
        adaptor = nn.Linear(dimension, dimension);
        hidden1 = nn.Linear(dimension, 1024);
        hidden2 = nn.Linear(1024, 128);
        output = nn.Linear(128, 1);
        RegisterComponents();
    }

    public int Dimension { get; }

    /// <summary>The adapted feature a = LeakyReLU(W x + b).</summary>
    public Tensor Adapt(Tensor features) => adaptor.forward(features).leaky_relu(Slope);

    /// <summary>The anomaly score s in (0, 1) of adapted features, one per row.</summary>
    public Tensor Discriminate(Tensor adapted)
    {
        var h = hidden1.forward(adapted).leaky_relu(Slope);
        h = hidden2.forward(h).leaky_relu(Slope);
        return sigmoid(output.forward(h)).squeeze(-1);
    }

    public override Tensor forward(Tensor features) => Discriminate(Adapt(features));

    /// <summary>
    /// PyTorch's default Linear initialisation (weights and biases uniform in +-1/sqrt(fan_in)), drawn
    /// from a seeded generator so that runs are reproducible whatever else the process does.
    /// </summary>
    public void Initialise(int seed)
    {
        var random = new Random(seed);
        using var _ = no_grad();
        var parameters = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in parameters)
        {
            // A bias takes its bound from the fan-in of the weight of the same layer.
            var weight = name.EndsWith(".bias", StringComparison.Ordinal) ? parameters[name[..^".bias".Length] + ".weight"] : parameter;
            var bound = 1 / Math.Sqrt(weight.shape[1]);
            var values = new float[parameter.numel()];
            for (var i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
            using var initial = tensor(values, parameter.shape);
            parameter.copy_(initial);
        }
    }
}
