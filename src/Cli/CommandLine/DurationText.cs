using System.Globalization;

namespace RaftMq.Cli.CommandLine;

/// <summary>Durations as operators type them: <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, or seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        (string number, double unitSeconds) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)) return false;
        double seconds = amount * unitSeconds;
        if (double.IsNaN(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Short human form for reports: <c>412 ms</c>, <c>1.84 s</c>.</summary>
    public static string Format(TimeSpan value) => value < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.00} s");
}
