namespace RaftMq.NameServer.Configuration;

/// <summary>
/// The <c>key=value</c> lines of a RocketMQ-style namesrv.conf. Lines starting with <c>#</c> or <c>!</c> are
/// comments, blank lines are skipped, whitespace around key and value is trimmed, the last occurrence of a key
/// wins. Enough for namesrv.conf, which holds a handful of plain settings (no escapes or continued lines).
/// </summary>
public sealed class NameServerProperties
{
    private readonly Dictionary<string, (string Value, int? Line)> _entries;

    private NameServerProperties(string source, Dictionary<string, (string Value, int? Line)> entries)
    {
        Source = source;
        _entries = entries;
    }

    /// <summary>Where the settings came from (a file path, or "command line").</summary>
    public string Source { get; }

    public IEnumerable<string> Keys => _entries.Keys;

    public static NameServerProperties Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NameServerConfigException("(file)", null, path, null, "cannot read the configuration file: " + e.Message, e);
        }
        return Parse(text, path);
    }

    public static NameServerProperties Parse(string text, string source)
    {
        var entries = new Dictionary<string, (string, int?)>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            int separator = line.IndexOf('=');
            if (separator <= 0)
            {
                throw new NameServerConfigException(line, null, source, i + 1, "expected a key=value line");
            }
            entries[line[..separator].TrimEnd()] = (line[(separator + 1)..].TrimStart(), i + 1);
        }
        return new NameServerProperties(source, entries);
    }

    /// <summary>Settings already split into keys and values (e.g. by the command line).</summary>
    public static NameServerProperties FromDictionary(IReadOnlyDictionary<string, string> values, string source)
    {
        var entries = new Dictionary<string, (string, int?)>(StringComparer.Ordinal);
        foreach (var (key, value) in values) entries[key] = (value, null);
        return new NameServerProperties(source, entries);
    }

    public bool TryGet(string key, out string value, out int? lineNumber)
    {
        bool found = _entries.TryGetValue(key, out var entry);
        (value, lineNumber) = found ? entry : ("", null);
        return found;
    }

    /// <summary>An error about a key of these settings, with its value and line when present.</summary>
    public NameServerConfigException Error(string key, string reason)
    {
        bool found = TryGet(key, out var value, out var line);
        return new NameServerConfigException(key, found ? value : null, Source, line, reason);
    }
}
