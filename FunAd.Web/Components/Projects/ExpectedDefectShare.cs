using System.Globalization;
using FunAd.Engine.FunAdBank;

namespace FunAd.Web.Components.Projects;

/// <summary>
/// The run dialog's question "how many defective images do you expect in this set?" for funad-bank. The
/// scores alone cannot tell a set with 5% defects from one with 20% (label-free estimates of the share were
/// tried and were off by up to ten points: docs/benchmarks.md, "Sets with other shares of defects"), and
/// funad-bank sets aside a fixed share of its training images, which also sets how many images its
/// threshold flags. A reviewer often knows the line's rough defect rate, so the dialog asks and turns the
/// answer into <see cref="FunAdBankOptions.SetAsideShare"/>.
/// </summary>
public sealed record ExpectedDefectShare(string Key, string Label, double? SetAsideShare)
{
    public const string SettingName = "setAsideShare";

    public static ExpectedDefectShare NotSure { get; } = new("not-sure",
        $"Not sure: set aside {new FunAdBankOptions().SetAsideShare:0%} (suits sets with 10-20% defects)", null);

    public static IReadOnlyList<ExpectedDefectShare> Choices { get; } =
    [
        NotSure,
        new("few", "Few, about 5% or less: set aside 5%", 0.05),
        new("many", "Many, about 25% or more: set aside 25%", 0.25),
    ];

    public static ExpectedDefectShare Get(string key) =>
        Choices.FirstOrDefault(c => c.Key == key) ?? throw new ArgumentException($"Unknown expected defect share '{key}'.", nameof(key));

    /// <summary>The value the run's <c>setAsideShare</c> takes: the choice's, or the method's default when unsure.</summary>
    public string SettingValue => (SetAsideShare ?? new FunAdBankOptions().SetAsideShare).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The answer that a <c>setAsideShare</c> typed in the advanced table amounts to: the choice with that share (the
    /// default's is <see cref="NotSure"/>), else a one-off answer that says the table sets it; text that is no number leaves <paramref name="current"/>
    /// (the run refuses it when it starts).
    /// </summary>
    public static ExpectedDefectShare Matching(string? setAsideShare, ExpectedDefectShare current)
    {
        if (!double.TryParse(setAsideShare, NumberStyles.Float, CultureInfo.InvariantCulture, out var share)) return current;
        if (Math.Abs(share - new FunAdBankOptions().SetAsideShare) < 1e-9) return NotSure;
        return Choices.FirstOrDefault(c => c.SetAsideShare is { } s && Math.Abs(s - share) < 1e-9)
            ?? new ExpectedDefectShare(Typed, $"As typed in the advanced table: set aside {share.ToString("0.##%", CultureInfo.InvariantCulture)}", share);
    }

    /// <summary>The key of an answer that only the advanced table gives.</summary>
    public const string Typed = "typed";
}
