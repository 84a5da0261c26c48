namespace FunAd.Engine.Io;

/// <summary>
/// CSV text as RFC 4180 writes it: a field with a comma, quote or line break is quoted, its quotes
/// doubled. A text field that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab
/// or a carriage return: a file named "=HYPERLINK(...).png") gets a leading apostrophe, as OWASP
/// advises for CSV injection, so opening scores.csv never runs what an uploader named a file.
/// </summary>
public static class CsvText
{
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
