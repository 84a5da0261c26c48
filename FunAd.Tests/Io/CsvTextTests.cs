using FunAd.Engine.Io;

namespace FunAd.Tests.Io;

public sealed class CsvTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\").png", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\").png\"")]
    [InlineData("+1.png", "'+1.png")]
    [InlineData("-cmd.png", "'-cmd.png")]
    [InlineData("@SUM(A1).png", "'@SUM(A1).png")]
    [InlineData("\tx.png", "'\tx.png")]
    public void Names_a_spreadsheet_would_run_as_formulas_are_neutralised(string name, string field) =>
        Assert.Equal(field, CsvText.Field(name));

    [Theory]
    [InlineData("good/001.png", "good/001.png")]
    [InlineData("a,b.png", "\"a,b.png\"")]
    [InlineData("", "")]
    public void Plain_names_are_written_as_they_are(string name, string field) => Assert.Equal(field, CsvText.Field(name));
}
