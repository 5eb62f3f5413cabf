using System.Globalization;

namespace RaftMq.Foundation.Configuration;

/// <summary>
/// A RocketMQ-style configuration file (Java properties subset, see <see cref="Parse"/>). Typed getters throw
/// <see cref="ConfigException"/> naming key, value, file and line. Every getter marks its key as read so the
/// caller can warn about keys nothing honoured (<see cref="UnreadEntries"/>). Not thread-safe: configuration is
/// read once at start-up.
/// </summary>
public sealed partial class PropertiesFile
{
    private readonly List<PropertyEntry> _entries;
    private readonly Dictionary<string, PropertyEntry> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private PropertiesFile(string filePath, List<PropertyEntry> entries)
    {
        FilePath = filePath;
        _entries = entries;
        // As in java.util.Properties the last occurrence of a key wins; OverriddenEntries reports the others.
        foreach (var entry in entries) _latest[entry.Key] = entry;
    }

    /// <summary>The path the properties were read from (or the name given to <see cref="Parse"/>).</summary>
    public string FilePath { get; }

    /// <summary>All key/value lines in file order, duplicates included.</summary>
    public IReadOnlyList<PropertyEntry> Entries => _entries;

    /// <summary>Reads and parses a file; a malformed line throws <see cref="ConfigException"/>.</summary>
    public static PropertiesFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("(file)", null, path, null, $"cannot read the configuration file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>True when the key is present (the key counts as read).</summary>
    public bool Contains(string key) => Find(key) is not null;

    /// <summary>The effective entry for a key, or null; the key counts as read.</summary>
    public PropertyEntry? Find(string key)
    {
        _read.Add(key);
        return _latest.GetValueOrDefault(key);
    }

    /// <summary>The value as written (possibly empty), or null when the key is absent.</summary>
    public string? GetString(string key) => Find(key)?.Value;

    public string GetString(string key, string defaultValue) => Find(key)?.Value ?? defaultValue;

    /// <summary>A value that must be present and non-empty.</summary>
    public string GetRequiredString(string key)
    {
        var entry = Find(key);
        if (entry is null) throw new ConfigException(key, null, FilePath, null, "this key is required");
        if (entry.Value.Length == 0) throw Error(key, "the value must not be empty");
        return entry.Value;
    }

    public int GetInt32(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetInt64(key, defaultValue, min, max);

    public long GetInt64(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        var entry = Find(key);
        if (entry is null) return defaultValue;
        if (!long.TryParse(entry.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error(key, "expected an integer");
        if (value < min || value > max)
            throw Error(key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    /// <summary>Accepts exactly <c>true</c> or <c>false</c> (any case); anything else is an error, unlike Java's
    /// Boolean.parseBoolean, which silently reads a typo as false.</summary>
    public bool GetBoolean(string key, bool defaultValue)
    {
        var entry = Find(key);
        if (entry is null) return defaultValue;
        if (bool.TryParse(entry.Value, out bool value)) return value;
        throw Error(key, "expected true or false");
    }

    /// <summary>One of a fixed set of spellings (exact, case-sensitive as in RocketMQ's Enum.valueOf).</summary>
    public T GetChoice<T>(string key, T defaultValue, params ReadOnlySpan<(string Text, T Value)> choices)
    {
        var entry = Find(key);
        if (entry is null) return defaultValue;
        var names = new List<string>(choices.Length);
        foreach (var (text, value) in choices)
        {
            if (string.Equals(text, entry.Value, StringComparison.Ordinal)) return value;
            names.Add(text);
        }
        throw Error(key, $"expected one of {string.Join(", ", names)}");
    }

    /// <summary>An error about a key of this file, carrying its value and line (or "not set" when absent).</summary>
    public ConfigException Error(string key, string reason, Exception? inner = null)
    {
        var entry = _latest.GetValueOrDefault(key);
        return new ConfigException(key, entry?.Value, FilePath, entry?.LineNumber, reason, inner);
    }

    /// <summary>Entries whose key no getter asked for: typos or keys this build does not honour.</summary>
    public IReadOnlyList<PropertyEntry> UnreadEntries() => _latest.Values
        .Where(entry => !_read.Contains(entry.Key))
        .OrderBy(entry => entry.LineNumber)
        .ToList();

    /// <summary>Earlier occurrences of keys that appear more than once (the last one wins).</summary>
    public IReadOnlyList<PropertyEntry> OverriddenEntries() => _entries
        .Where(entry => !ReferenceEquals(_latest[entry.Key], entry))
        .ToList();
}

/// <summary>One <c>key=value</c> line; <see cref="LineNumber"/> is 1-based (the first line of a continued line).</summary>
public sealed record PropertyEntry(string Key, string Value, int LineNumber);
