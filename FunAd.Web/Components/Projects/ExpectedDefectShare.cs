using System.Globalization;
using FunAd.Engine.FunAdBank;

namespace FunAd.Web.Components.Projects;

/// <summary>
/// The run dialog's question "how many defective images do you expect in this set?" for funad-bank. The
/// scores alone cannot tell a set with 5% defects from one with 20% (label-free estimates of the share were
/// tried and were off by up to ten points: docs/benchmarks.md, "Sets with other shares of defects"), and
/// funad-bank sets aside a fixed share of its training images, which also sets how many images its
/// threshold flags. A reviewer often knows the line's rough defect rate, so the dialog asks and turns the
/// answer into the cleaning settings it governs (<see cref="Governed"/>), each value measured in
/// docs/benchmarks.md, "The expected share of defects, asked in the run dialog".
/// </summary>
public sealed record ExpectedDefectShare(string Key, string Label, IReadOnlyDictionary<string, double> Settings)
{
    public const string SetAsideShare = "setAsideShare";
    public const string SuspectShare = "suspectShare";

    /// <summary>The settings an answer decides; any other stays the profile's.</summary>
    public static IReadOnlyList<string> Governed { get; } = [SetAsideShare, SuspectShare];

    /// <summary>The key of an answer that only the advanced table gives.</summary>
    public const string Typed = "typed";

    private static readonly FunAdBankOptions Defaults = new();

    public static ExpectedDefectShare NotSure { get; } = new("not-sure",
        $"Not sure: set aside {Defaults.SetAsideShare:0%} (suits sets with 10-20% defects)", new Dictionary<string, double>());

    public static IReadOnlyList<ExpectedDefectShare> Choices { get; } =
    [
        NotSure,
        // With few defects, cutting the patches of the next 15% of images removes mostly normal variety: no suspects.
        new("few", "Few, about 5% or less: set aside 5%", new Dictionary<string, double> { [SetAsideShare] = 0.05, [SuspectShare] = 0 }),
        new("many", "Many, about 25% or more: set aside 25%", new Dictionary<string, double> { [SetAsideShare] = 0.25 }),
    ];

    public static ExpectedDefectShare Many => Get("many");

    /// <summary>
    /// A run that trains on every image of a project in which at least this share of the images is labelled
    /// defective starts with the answer "many": the labels are a floor on the share (hidden defects add to it). On
    /// sets with 20% and 30% defects, setting aside 25% flagged 0.73-1.4 times the true share and the default 15%
    /// 0.47-1.0 times it (docs/benchmarks.md, "The expected share of defects, asked in the run dialog"), and in-sample
    /// walks of MVTec-style sets with 25% defects flagged 0.50-0.70 times it at the default, and a bark walk at "many"
    /// 0.66 times it ("The first hour": there the NG share did not follow the set-aside share, but was no lower).
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
        name => (Settings.TryGetValue(name, out var v) ? v : Default(name)).ToString("R", CultureInfo.InvariantCulture));

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
        var typed = new Dictionary<string, double>();
        foreach (var name in Governed)
        {
            if (!table.TryGetValue(name, out var text)) return current;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return current;
            typed[name] = value;
        }
        bool Same(ExpectedDefectShare choice) =>
            Governed.All(name => Math.Abs(typed[name] - (choice.Settings.TryGetValue(name, out var v) ? v : Default(name))) < 1e-9);
        return Choices.FirstOrDefault(Same)
            ?? new ExpectedDefectShare(Typed, $"As typed in the advanced table: set aside {typed[SetAsideShare].ToString("0.##%", CultureInfo.InvariantCulture)}",
                typed.Where(p => Math.Abs(p.Value - Default(p.Key)) >= 1e-9).ToDictionary());
    }

    private static double Default(string name) => name switch
    {
        SetAsideShare => Defaults.SetAsideShare,
        SuspectShare => Defaults.SuspectShare,
        _ => throw new ArgumentException($"'{name}' is not a setting the expected share decides.", nameof(name)),
    };
}
