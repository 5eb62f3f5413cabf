namespace RaftMq.NameServer.Configuration;

/// <summary>A bad name server setting; the message names the key, its value, the file and the line.</summary>
public sealed class NameServerConfigException : Exception
{
    public NameServerConfigException(string key, string? value, string source, int? lineNumber, string reason, Exception? inner = null)
        : base(Format(key, value, source, lineNumber, reason), inner)
    {
        Key = key;
        Value = value;
        Source = source;
        LineNumber = lineNumber;
    }

    public string Key { get; }

    /// <summary>The value as written, or null when the key is not set.</summary>
    public string? Value { get; }

    /// <summary>The file (or other origin) the setting came from.</summary>
    public new string Source { get; }

    public int? LineNumber { get; }

    private static string Format(string key, string? value, string source, int? lineNumber, string reason)
    {
        string where = lineNumber is { } line ? $"{source}:{line}" : source;
        string shown = value is null ? "not set" : $"'{value}'";
        return $"{where}: {key} = {shown}: {reason}";
    }
}
