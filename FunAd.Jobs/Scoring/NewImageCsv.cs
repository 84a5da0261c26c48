using System.Globalization;
using System.Text;
using FunAd.Engine.Io;

namespace FunAd.Jobs.Scoring;

/// <summary>
/// New images scored by a run as CSV: file, score, band and why a file was refused, written like the
/// run's scores.csv (<see cref="RunResults.ToCsv"/>): the same score and band forms, and every text cell
/// through <see cref="CsvText.Field"/>, so a file named "=HYPERLINK(...).png" is never run as a formula.
/// </summary>
public static class NewImageCsv
{
    public const string Header = "file,score,band,refused";

    public static string ToCsv(IEnumerable<NewImageScore> scores)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var s in scores)
            csv.Append(CsvText.Field(s.Name)).Append(',')
                .Append(s.Score?.ToString("R", CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(s.Band?.ToString().ToUpperInvariant() ?? "").Append(',')
                .Append(CsvText.Field(s.Refused ?? "")).Append('\n');
        return csv.ToString();
    }
}
