using FunAd.Engine.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Tests.Devices;

public class TorchTrainingSmokeTests
{
    [Fact]
    public void TorchSharp_loads_on_this_host_and_an_optimiser_step_lowers_the_loss()
    {
        var device = ComputeDevice.Resolve(DeviceChoice.Auto);
        using var scope = NewDisposeScope();
        manual_seed(7);
        var model = nn.Linear(4, 1).to(device.TorchDevice);
        var x = randn(64, 4, device: device.TorchDevice);
        var y = x.matmul(tensor(new float[] { 1, -2, 3, 0.5f }, device: device.TorchDevice).reshape(4, 1));
        var optimiser = optim.SGD(model.parameters(), 0.1);

        float LossValue() { using var _ = no_grad(); return nn.functional.mse_loss(model.forward(x), y).item<float>(); }
        var before = LossValue();
        for (var step = 0; step < 5; step++)
        {
            optimiser.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimiser.step();
        }

        Assert.True(LossValue() < before * 0.5f, $"loss {LossValue()} did not fall from {before}");
        Assert.False(device.IsCuda && !cuda.is_available());
    }

    [Fact]
    public void Asking_for_cuda_without_a_gpu_fails_with_a_clear_reason()
    {
        TorchSharpNativeFix.EnsureApplied();
        if (cuda.is_available()) return; // On a GPU host the request is valid; the CPU path is what CI checks.
        var error = Assert.Throws<InvalidOperationException>(() => ComputeDevice.Resolve(DeviceChoice.Cuda));
        Assert.Contains("CUDA was requested", error.Message);
    }
}
