using System.Globalization;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// The options and positional arguments of one verb, checked against the verb's <see cref="OptionSpec"/>s. Typed
/// getters throw <see cref="UsageException"/> naming the option and the value, so every verb reports bad input the
/// same way.
/// </summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private ParsedArgs(Dictionary<string, string> values, HashSet<string> flags, IReadOnlyList<string> positionals)
    {
        _values = values;
        _flags = flags;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, int maxPositionals = 0)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-' || IsNegativeNumber(arg))
            {
                if (positionals.Count == maxPositionals) throw new UsageException($"unexpected argument '{arg}'");
                positionals.Add(arg);
                continue;
            }

            (string name, string? inlineValue) = SplitOption(arg);
            var spec = Find(specs, name, arg) ?? throw new UsageException($"unknown option '{arg}'");
            if (spec.IsFlag)
            {
                if (inlineValue is not null) throw new UsageException($"option --{spec.Name} takes no value");
                flags.Add(spec.Name);
                continue;
            }

            string? value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
            if (value is null) throw new UsageException($"option --{spec.Name} needs a value ({spec.ValueName})");
            values[spec.Name] = value;
        }
        return new ParsedArgs(values, flags, positionals);
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

    private static (string Name, string? InlineValue) SplitOption(string arg)
    {
        string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
        int equals = body.IndexOf('=');
        return equals < 0 ? (body, null) : (body[..equals], body[(equals + 1)..]);
    }

    private static OptionSpec? Find(IReadOnlyList<OptionSpec> specs, string name, string arg)
    {
        bool isLong = arg.StartsWith("--", StringComparison.Ordinal);
        foreach (var spec in specs)
        {
            // mqadmin writes long options with one dash too (-namesrvAddr style); accept both forms of the long name.
            if (string.Equals(spec.Name, name, StringComparison.Ordinal)) return spec;
            if (!isLong && spec.Short is not null && string.Equals(spec.Short, name, StringComparison.Ordinal)) return spec;
        }
        return null;
    }

    private static bool IsNegativeNumber(string arg) => arg.Length > 1 && arg[0] == '-' && char.IsAsciiDigit(arg[1]);
}
