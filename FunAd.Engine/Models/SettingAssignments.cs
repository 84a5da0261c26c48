using System.Globalization;
using System.Reflection;

namespace FunAd.Engine.Models;

/// <summary>
/// "name=value" overrides of a settings record (public init properties, names case-insensitive), as
/// the command line's --set and a run's parameters give them. Numbers are read in the invariant
/// culture; NaN and infinities are refused, since no setting means them. An optional setting (a nullable
/// property) takes <see cref="Auto"/> or an empty value for "none given": the method then decides.
/// </summary>
public static class SettingAssignments
{
    /// <summary>The text of an optional setting left to the method.</summary>
    public const string Auto = "auto";

    /// <summary>Whether an optional setting's text leaves it to the method: <see cref="Auto"/> (any case) or nothing.</summary>
    public static bool IsAuto(string text) => text.Trim() is var t && (t.Length == 0 || string.Equals(t, Auto, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy of <paramref name="settings"/> with the assignments that name one of its properties applied, and the assignments that name none.</summary>
    public static (T Result, IReadOnlyList<string> Unknown) Apply<T>(T settings, IEnumerable<string> assignments) where T : class
    {
        var clone = typeof(T).GetMethod("<Clone>$") ?? throw new InvalidOperationException($"{typeof(T).Name} is not a record.");
        var result = (T)clone.Invoke(settings, null)!;
        var unknown = new List<string>();
        foreach (var assignment in assignments)
        {
            var (name, text) = Split(assignment);
            var property = typeof(T).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                unknown.Add(assignment);
                continue;
            }
            property.SetValue(result, Parse(name, text, property.PropertyType));
        }
        return (result, unknown);
    }

    /// <summary>The setting names of a record, in camelCase as overrides take them.</summary>
    public static IEnumerable<string> Names<T>() =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => Camel(p.Name));

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public static (string Name, string Value) Split(string assignment)
    {
        var at = assignment.IndexOf('=');
        if (at <= 0) throw new ArgumentException($"Setting '{assignment}' is not of the form name=value.");
        return (assignment[..at].Trim(), assignment[(at + 1)..].Trim());
    }

    private static object? Parse(string name, string text, Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            if (IsAuto(text)) return null;
            type = inner;
        }
        try
        {
            object value = type == typeof(bool)
                ? bool.Parse(text)
                : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            if (value is double d && !double.IsFinite(d)) throw new FormatException();
            return value;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"Setting '{name}': '{text}' is not a valid {(type == typeof(double) ? "finite number" : type.Name)}.", e);
        }
    }
}
