// An ONNX Runtime program that is not FunAd's: loads an exported model, feeds S x S PNGs as the
// contract says (RGB 0..1, CHW), and compares pred_score and anomaly_map with `funad score` output.
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

if (args[0] == "crop")
{
    // Held-out images at the model's size: the central 224x224 of every PNG under args[1], into args[2].
    Directory.CreateDirectory(args[2]);
    foreach (var file in Directory.EnumerateFiles(args[1], "*.png", SearchOption.AllDirectories))
    {
        using var source = Image.Load<Rgb24>(file);
        using var crop = source.Clone(c => c.Crop(new Rectangle((source.Width - 224) / 2, (source.Height - 224) / 2, 224, 224)));
        crop.SaveAsPng(Path.Combine(args[2], Path.GetFileName(Path.GetDirectoryName(file)!) + "-" + Path.GetFileName(file)));
    }
    return;
}
var (model, images, scored) = (args[0], args[1], args[2]);
using var session = new InferenceSession(model);
var meta = session.ModelMetadata.CustomMetadataMap;
foreach (var key in new[] { "funad.version", "funad.backbone", "funad.mode", "funad.input_size", "funad.threshold", "funad.preprocessing" })
    Console.WriteLine($"{key}: {(meta.TryGetValue(key, out var v) ? v : "MISSING")}");
var size = int.Parse(meta["funad.input_size"], CultureInfo.InvariantCulture);
var expected = File.ReadAllLines(Path.Combine(scored, "scores.csv")).Skip(1).Select(l => l.Split(','))
    .ToDictionary(p => p[0], p => float.Parse(p[1], CultureInfo.InvariantCulture));
double worstScore = 0, worstMap = 0;
// One RunOptions alive for the whole loop: Run reads only its handle, and an inline one may be finalised mid-call.
using var runOptions = new RunOptions();
foreach (var (name, want) in expected)
{
    using var image = Image.Load<Rgb24>(Path.Combine(images, name));
    if (image.Width != size || image.Height != size) throw new Exception($"{name}: not {size}x{size}");
    var chw = new float[3 * size * size];
    for (var y = 0; y < size; y++)
    for (var x = 0; x < size; x++)
    {
        var p = image[x, y];
        chw[0 * size * size + y * size + x] = p.R / 255f;
        chw[1 * size * size + y * size + x] = p.G / 255f;
        chw[2 * size * size + y * size + x] = p.B / 255f;
    }
    using var input = OrtValue.CreateTensorValueFromMemory(chw, [1, 3, size, size]);
    using var outputs = session.Run(runOptions, ["image"], [input], ["pred_score", "anomaly_map"]);
    var score = outputs[0].GetTensorDataAsSpan<float>()[0];
    var map = outputs[1].GetTensorDataAsSpan<float>();
    worstScore = Math.Max(worstScore, Math.Abs(score - want));
    var npy = Path.Combine(scored, "maps", Path.ChangeExtension(name, ".npy"));
    if (File.Exists(npy))
    {
        var bytes = File.ReadAllBytes(npy);
        var header = BitConverter.ToUInt16(bytes, 8);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + header));
        if (values.Length != map.Length) throw new Exception($"{npy}: {values.Length} values, model map has {map.Length}");
        for (var i = 0; i < map.Length; i++) worstMap = Math.Max(worstMap, Math.Abs(map[i] - values[i]));
    }
}
Console.WriteLine($"images {expected.Count}; largest score difference {worstScore:E2}; largest map difference {worstMap:E2}");
