using FunAd.Engine.Training;
using static TorchSharp.torch;

namespace FunAd.Tests.Training;

public class LocalNetTests
{
    [Fact]
    public void Has_the_papers_layers_under_stable_names()
    {
        using var net = new LocalNet(16);

        var shapes = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal(new long[] { 16, 16 }, shapes["adaptor.weight"]);
        Assert.Equal(new long[] { 1024, 16 }, shapes["hidden1.weight"]);
        Assert.Equal(new long[] { 128, 1024 }, shapes["hidden2.weight"]);
        Assert.Equal(new long[] { 1, 128 }, shapes["output.weight"]);
        Assert.Equal(8, shapes.Count);
    }

    [Fact]
    public void The_seed_fixes_the_initial_weights_and_scores_are_probabilities()
    {
        using var a = new LocalNet(8);
        using var b = new LocalNet(8);
        using var c = new LocalNet(8);
        a.Initialise(4);
        b.Initialise(4);
        c.Initialise(5);
        using var x = tensor(Enumerable.Range(0, 5 * 8).Select(i => (float)Math.Sin(i)).ToArray(), [5, 8]);

        var sa = a.forward(x).data<float>().ToArray();

        Assert.Equal(sa, b.forward(x).data<float>().ToArray());
        Assert.NotEqual(sa, c.forward(x).data<float>().ToArray());
        Assert.All(sa, s => Assert.InRange(s, 0f, 1f));
        // Default PyTorch bound for the adaptor: 1/sqrt(fan_in).
        var bound = 1 / Math.Sqrt(8);
        Assert.All(a.named_parameters().First().parameter.data<float>().ToArray(), w => Assert.InRange(w, -bound, bound));
    }
}
