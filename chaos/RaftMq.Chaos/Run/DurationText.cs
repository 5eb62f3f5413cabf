using System.Globalization;

namespace RaftMq.Chaos.Run;

/// <summary>Durations on the command line: <c>500ms</c>, <c>90s</c>, <c>30m</c>, <c>2h</c>; a bare number is seconds.</summary>
public static class DurationText
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = Split(text.Trim());
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ArgumentException($"'{text}' is not a duration (e.g. 500ms, 90s, 30m, 2h)");
        }

        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "" or "s" => TimeSpan.FromSeconds(value),
            "m" or "min" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => throw new ArgumentException($"'{text}' has an unknown unit '{unit}' (use ms, s, m or h)"),
        };
    }

    /// <summary><c>5s</c> (fixed) or <c>10s-30s</c> (range).</summary>
    public static (TimeSpan Min, TimeSpan Max) ParseRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (Parse(text), Parse(text)) : (Parse(text[..dash]), Parse(text[(dash + 1)..]));
    }

    private static (string Number, string Unit) Split(string text)
    {
        var end = text.Length;
        while (end > 0 && char.IsAsciiLetter(text[end - 1]))
        {
            end--;
        }

        return (text[..end], text[end..].ToLowerInvariant());
    }
}
