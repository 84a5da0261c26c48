namespace FunAd.Engine.Io;

/// <summary>CSV text as RFC 4180 writes it: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
public static class CsvText
{
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
