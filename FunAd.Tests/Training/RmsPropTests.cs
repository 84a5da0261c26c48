using FunAd.Engine.Training;
using static TorchSharp.torch;

namespace FunAd.Tests.Training;

public class RmsPropTests
{
    [Fact]
    public void Steps_match_the_formula_of_pytorch_rmsprop_with_momentum()
    {
        var layer = nn.Linear(1, 1, hasBias: false);
        using (no_grad()) layer.weight!.fill_(1.0);
        var optimiser = new RmsProp(layer.named_parameters().ToList(), learningRate: 0.1, alpha: 0.9, epsilon: 1e-8, momentum: 0.5);
        double w = 1, v = 0, b = 0;

        foreach (var input in new[] { 2.0, -1.0, 3.0 })
        {
            // loss = (w x)^2 / 2, gradient w x^2
            optimiser.ZeroGrad();
            var loss = layer.forward(tensor(new[] { (float)input }, [1, 1])).pow(2).sum() / 2;
            loss.backward();
            optimiser.Step();
            var g = w * input * input;
            v = 0.9 * v + 0.1 * g * g;
            b = 0.5 * b + g / (Math.Sqrt(v) + 1e-8);
            w -= 0.1 * b;
        }

        Assert.Equal(w, layer.weight!.item<float>(), 1e-5);
        Assert.Equal(2, optimiser.State().Count());
    }
}
