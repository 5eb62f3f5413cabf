using System.Globalization;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// The options of one verb as System.CommandLine parsed them (<see cref="CommandTree"/>): the last value of each value
/// option, the flags that were given. Typed getters throw <see cref="UsageException"/> naming the option and the value,
/// so every verb reports bad input the same way.
/// </summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    internal ParsedArgs(Dictionary<string, string> values, HashSet<string> flags)
    {
        _values = values;
        _flags = flags;
    }

    public bool Has(string name) => _flags.Contains(name) || _values.ContainsKey(name);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Get(string name, string defaultValue) => _values.GetValueOrDefault(name) ?? defaultValue;

    public string Require(string name) =>
        _values.GetValueOrDefault(name) ?? throw new UsageException($"option --{name} is required");

    public int GetInt(string name, int defaultValue, int min = 1, int max = int.MaxValue) =>
        (int)GetLong(name, defaultValue, min, max);

    public long GetLong(string name, long defaultValue, long min = 1, long max = long.MaxValue)
    {
        string? text = Get(name);
        if (text is null) return defaultValue;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
            throw new UsageException($"option --{name} = '{text}': expected an integer between {min} and {max}");
        return value;
    }

    /// <summary>A duration written as <c>500ms</c>, <c>30s</c>, <c>2m</c> or a bare number of seconds.</summary>
    public TimeSpan GetDuration(string name, TimeSpan defaultValue)
    {
        string? text = Get(name);
        if (text is null) return defaultValue;
        return DurationText.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"option --{name} = '{text}': expected a positive duration such as 500ms, 30s or 2m");
    }
}
