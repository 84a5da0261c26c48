using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Bench.Data;

/// <summary>
/// One-vs-rest semantic anomaly detection with contamination, written as image folders:
/// train/ holds normal images of one class plus a share drawn from the other classes (unlabeled);
/// test/good and test/anomaly hold held-out images of the normal class and of the others.
/// </summary>
public static class SemanticSet
{
    public static string Write(FashionMnist train, FashionMnist test, int normalClass, int trainCount, double contamination,
        int testNormal, int testAnomalous, int seed, string root)
    {
        var random = new Random(seed * 31 + normalClass);
        var anomalies = (int)Math.Round(trainCount * contamination);
        var normals = Pick(train, i => train.Labels[i] == normalClass, trainCount - anomalies, random);
        var others = Pick(train, i => train.Labels[i] != normalClass, anomalies, random);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        // File names carry no label, as in a user's upload; a manifest keeps the truth for reports.
        var shuffled = normals.Concat(others).OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < shuffled.Count; i++) Save(train.Images[shuffled[i]], Path.Combine(root, "train", $"{i:00000}.png"));
        File.WriteAllLines(Path.Combine(root, "train-truth.csv"),
            ["file,anomalous", .. shuffled.Select((index, i) => $"{i:00000}.png,{(train.Labels[index] != normalClass ? 1 : 0)}")]);
        foreach (var (i, n) in Pick(test, i => test.Labels[i] == normalClass, testNormal, random).Select((v, n) => (v, n)))
            Save(test.Images[i], Path.Combine(root, "test", "good", $"{n:00000}.png"));
        foreach (var (i, n) in Pick(test, i => test.Labels[i] != normalClass, testAnomalous, random).Select((v, n) => (v, n)))
            Save(test.Images[i], Path.Combine(root, "test", "anomaly", $"{n:00000}.png"));
        return root;
    }

    private static List<int> Pick(FashionMnist set, Func<int, bool> where, int count, Random random) =>
        Enumerable.Range(0, set.Labels.Length).Where(where).OrderBy(_ => random.Next()).Take(count).ToList();

    private static void Save(byte[] pixels, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = Image.LoadPixelData<L8>(pixels, 28, 28);
        image.SaveAsPng(path);
    }
}
