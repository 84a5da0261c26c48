using FunAd.Engine.Imaging;

namespace FunAd.Tests.Imaging;

public class ImageResizerSizeTests
{
    [Fact]
    public void An_image_already_at_the_model_size_passes_through_unchanged()
    {
        // Exported models are fed by other programs; at the model's own size no resampler may change a pixel.
        var random = new Random(4);
        var pixels = new byte[224 * 224 * 3];
        random.NextBytes(pixels);

        var chw = ImageResizer.ToChw(new RgbImage(224, 224, pixels), 224);

        for (var i = 0; i < 224 * 224; i++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(pixels[i * 3 + c] / 255f, chw[c * 224 * 224 + i]);
    }
}
