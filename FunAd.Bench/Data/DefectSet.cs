using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Bench.Data;

/// <summary>How the defective training images relate to the test defects (the field's two protocols).</summary>
public enum ContaminationProtocol
{
    /// <summary>Defects painted on training crops of their own, drawn apart from the test defects.</summary>
    Distinct,

    /// <summary>The defective training images are copies of test defect images (the paper's overlap setting).</summary>
    Overlap,
}

/// <summary>
/// A texture-defect data set in MVTec AD layout cut from one real texture photograph: train/good
/// holds unlabeled crops of which a share carries defects (contamination; the truth goes to
/// train-truth.csv), test/good and test/&lt;kind&gt; with ground_truth masks. Both protocols draw the
/// same normal training crops and the same test set from one seed; only the contamination differs.
/// </summary>
public static class DefectSet
{
    public static string Write(string texturePath, string foreignPath, string root, int trainCount, double contamination,
        int testGood, int testDefective, int size, int seed, ContaminationProtocol protocol = ContaminationProtocol.Distinct)
    {
        var random = new Random(seed);
        using var texture = Image.Load<Rgb24>(texturePath);
        using var foreign = Image.Load<Rgb24>(foreignPath);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);

        var contaminated = (int)Math.Round(trainCount * contamination);
        var truth = new List<string> { "file,anomalous" };
        var overlapSlots = new List<string>();
        for (var i = 0; i < trainCount; i++)
        {
            using var crop = Crop(texture, size, random);
            var name = $"{i:0000}.png";
            if (i % Math.Max(1, trainCount / Math.Max(1, contaminated)) == 0 && truth.Count(t => t.EndsWith(",1")) < contaminated)
            {
                DefectPainter.Paint(crop, DefectPainter.Kinds[random.Next(DefectPainter.Kinds.Length)], foreign, random);
                truth.Add($"{name},1");
                // Overlap: the slot is filled with a copy of a test defect image below; drawing the
                // painted crop anyway keeps the random stream, so every other image is the same.
                if (protocol == ContaminationProtocol.Overlap)
                {
                    overlapSlots.Add(name);
                    continue;
                }
            }
            else
            {
                truth.Add($"{name},0");
            }
            Save(crop, Path.Combine(root, "train", "good", name));
        }
        File.WriteAllLines(Path.Combine(root, "train-truth.csv"), truth);

        for (var i = 0; i < testGood; i++)
        {
            using var crop = Crop(texture, size, random);
            Save(crop, Path.Combine(root, "test", "good", $"{i:0000}.png"));
        }
        for (var i = 0; i < testDefective; i++)
        {
            var kind = DefectPainter.Kinds[i % DefectPainter.Kinds.Length];
            using var crop = Crop(texture, size, random);
            var mask = DefectPainter.Paint(crop, kind, foreign, random);
            var name = $"{i:0000}";
            Save(crop, Path.Combine(root, "test", kind, name + ".png"));
            SaveMask(mask, size, Path.Combine(root, "ground_truth", kind, name + "_mask.png"));
        }
        var defects = Directory.GetFiles(Path.Combine(root, "test"), "*.png", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "good").Order(StringComparer.Ordinal).ToArray();
        if (overlapSlots.Count > defects.Length)
            throw new ArgumentException($"Overlap needs at least {overlapSlots.Count} test defect images to copy; the test set has {defects.Length}.");
        // Every kind in turn: test defect i is of kind i mod 4, and the copies are spread over the indices.
        for (var i = 0; i < overlapSlots.Count; i++)
            File.Copy(defects.OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f))).ElementAt(i * defects.Length / overlapSlots.Count),
                Path.Combine(root, "train", "good", overlapSlots[i]));
        return root;
    }

    /// <summary>A random square crop, flipped and turned at random so crops of one photograph differ.</summary>
    private static Image<Rgb24> Crop(Image<Rgb24> texture, int size, Random random)
    {
        var x = random.Next(texture.Width - size + 1);
        var y = random.Next(texture.Height - size + 1);
        var flip = random.Next(2) == 0 ? FlipMode.None : FlipMode.Horizontal;
        var rotate = (RotateMode)(random.Next(4) * 90);
        return texture.Clone(c => c.Crop(new Rectangle(x, y, size, size)).Flip(flip).Rotate(rotate));
    }

    private static void Save(Image<Rgb24> image, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        image.SaveAsPng(path);
    }

    private static void SaveMask(bool[] mask, int size, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<L8>(size, size);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
            image[x, y] = new L8(mask[y * size + x] ? (byte)255 : (byte)0);
        image.SaveAsPng(path);
    }
}
