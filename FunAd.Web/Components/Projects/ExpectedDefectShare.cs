using System.Globalization;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;

namespace FunAd.Web.Components.Projects;

/// <summary>
/// The run dialog's question "how many defective images do you expect in this set?" for funad-bank. The
/// scores alone cannot tell a set with 5% defects from one with 20% (label-free estimates of the share were
/// tried and were off by up to ten points: docs/benchmarks.md, "Sets with other shares of defects"), and
/// funad-bank sets aside a fixed share of its training images, which also sets how many images its
/// threshold flags. A reviewer often knows the line's rough defect rate, so the dialog asks and turns the
/// answer into the cleaning and threshold settings it governs (<see cref="Governed"/>), each value measured in
/// docs/benchmarks.md, "The expected share of defects, asked in the run dialog" and "The threshold for sets with many defects".
/// </summary>
public sealed record ExpectedDefectShare(string Key, string Label, IReadOnlyDictionary<string, double> Settings)
{
    public const string SetAsideShare = "setAsideShare";
    public const string SuspectShare = "suspectShare";
    public const string ThresholdQuantile = "thresholdQuantile";

    /// <summary>The settings an answer decides; any other stays the profile's.</summary>
    public static IReadOnlyList<string> Governed { get; } = [SetAsideShare, SuspectShare, ThresholdQuantile];

    /// <summary>The key of an answer that only the advanced table gives.</summary>
    public const string Typed = "typed";

    private static readonly FunAdBankOptions Defaults = new();

    public static ExpectedDefectShare NotSure { get; } = new("not-sure",
        $"Not sure: set aside {Defaults.SetAsideShare:0%} (suits sets with 10-20% defects)", new Dictionary<string, double>());

    public static IReadOnlyList<ExpectedDefectShare> Choices { get; } =
    [
        NotSure,
        new("few", "Few, about 5% or less: set aside 5%", new Dictionary<string, double> { [SetAsideShare] = 0.05 }),
        // With many defects some stay among the kept images: the next 15% lose their most anomalous patches, and a lower
        // percentile keeps the threshold out of those defects' own scores.
        new("many", "Many, about 25% or more: set aside 25%, threshold at the 90th percentile",
            new Dictionary<string, double> { [SetAsideShare] = 0.25, [SuspectShare] = ManySuspectShare, [ThresholdQuantile] = ManyThresholdQuantile }),
    ];

    public static ExpectedDefectShare Many => Get("many");

    /// <summary>
    /// The threshold's percentile of the kept images' scores for "many": at 30% defects the modes' 95th/97th flagged 0.77-0.91
    /// times the true share of the training sets (two textures, four Fashion-MNIST classes), the 90th 0.97-1.09 times it, and
    /// 1.6 times it at 20% (docs/benchmarks.md, "The threshold for sets with many defects").
    /// </summary>
    public const double ManyThresholdQuantile = 0.90;

    /// <summary>
    /// The suspects' share for "many", the value every "many" figure was measured with (docs/benchmarks.md, "The expected share
    /// of defects, asked in the run dialog"); the default cuts none, which was measured on sets with 10% defects or fewer.
    /// </summary>
    public const double ManySuspectShare = 0.15;

    /// <summary>
    /// A run that trains on every image of a project in which at least this share of the images is labelled
    /// defective starts with the answer "many": the labels are a floor on the share (hidden defects add to it). On
    /// sets with 20% and 30% defects, setting aside 25% flagged 0.73-1.4 times the true share and the default 15%
    /// 0.47-1.0 times it (docs/benchmarks.md, "The expected share of defects, asked in the run dialog"), and in-sample
    /// walks of MVTec-style sets with 25% defects flagged 0.50-0.70 times it at the default, and a bark walk at "many"
    /// 0.66 times it ("The first hour": there the NG share did not follow the set-aside share, but was no lower); with
    /// "many"'s threshold at the 90th percentile, a mudstone walk flagged 1.12 times it. Where the true share is no higher
    /// than this floor, "many" over-flags: 1.9-2.4 times a true 15% on four Fashion-MNIST classes ("The threshold for sets
    /// with many defects"); a floor of 20% would leave the walked sets (19% labelled, 25% true) at the default instead.
    /// </summary>
    public const double LabelledShareForMany = 0.15;

    /// <summary>
    /// The answer the project's own labels support for a run that trains on every image, with the sentence that says
    /// why; null where they support none (too few labelled defects, or the labelled images are held out of training).
    /// </summary>
    public static (ExpectedDefectShare Answer, string Reason)? FromLabels(int labelledDefective, int images, bool holdOut)
    {
        if (holdOut || images <= 0 || labelledDefective < LabelledShareForMany * images) return null;
        var share = (double)labelledDefective / images;
        return (Many, $"{labelledDefective} of {images} images ({share.ToString("0%", CultureInfo.InvariantCulture)}) are labelled defective and this run " +
                      "trains on all of them, so the set holds at least that share: \"many\" is chosen.");
    }

    public static ExpectedDefectShare Get(string key) =>
        Choices.FirstOrDefault(c => c.Key == key) ?? throw new ArgumentException($"Unknown expected defect share '{key}'.", nameof(key));

    /// <summary>Every governed setting as the run will take it: the answer's value, else funad-bank's default.</summary>
    public IReadOnlyDictionary<string, string> Values() => Governed.ToDictionary(name => name,
        name => Format(Settings.TryGetValue(name, out var v) ? v : Default(name)));

    /// <summary>Only the settings the answer changes, as the run's overrides.</summary>
    public IReadOnlyDictionary<string, string> Overrides() =>
        Settings.ToDictionary(p => p.Key, p => p.Value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>
    /// The answer that the advanced table's values amount to: the choice whose governed settings they all equal,
    /// else a one-off answer that says the table sets them; a value that is no number leaves <paramref name="current"/>
    /// (the run refuses it when it starts).
    /// </summary>
    public static ExpectedDefectShare Matching(IReadOnlyDictionary<string, string> table, ExpectedDefectShare current)
    {
        var typed = new Dictionary<string, double?>();
        foreach (var name in Governed)
        {
            if (!table.TryGetValue(name, out var text)) return current;
            if (!TryParse(name, text, out var value)) return current;
            typed[name] = value;
        }
        bool Same(ExpectedDefectShare choice) =>
            Governed.All(name => Equal(typed[name], choice.Settings.TryGetValue(name, out var v) ? v : Default(name)));
        return Choices.FirstOrDefault(Same)
            ?? new ExpectedDefectShare(Typed, $"As typed in the advanced table: set aside {typed[SetAsideShare]!.Value.ToString("0.##%", CultureInfo.InvariantCulture)}",
                typed.Where(p => !Equal(p.Value, Default(p.Key))).ToDictionary(p => p.Key, p => p.Value!.Value));
    }

    /// <summary>A governed setting's value as typed; the optional threshold percentile takes "auto" (the mode's).</summary>
    private static bool TryParse(string name, string text, out double? value)
    {
        value = null;
        if (Default(name) is null && SettingAssignments.IsAuto(text)) return true;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        value = number;
        return true;
    }

    private static bool Equal(double? a, double? b) => a is null || b is null ? a is null && b is null : Math.Abs(a.Value - b.Value) < 1e-9;

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? SettingAssignments.Auto;

    private static double? Default(string name) => name switch
    {
        SetAsideShare => Defaults.SetAsideShare,
        SuspectShare => Defaults.SuspectShare,
        ThresholdQuantile => Defaults.ThresholdQuantile,
        _ => throw new ArgumentException($"'{name}' is not a setting the expected share decides.", nameof(name)),
    };
}
