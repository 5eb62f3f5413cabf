namespace RaftMq.Foundation.Configuration;

/// <summary>
/// A configuration value that cannot be used. The message names the key, the offending value, the file and the
/// line so an operator can fix it without guessing; the same facts are exposed as properties for tools.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string? value, string? filePath, int? lineNumber, string reason, Exception? inner = null)
        : base(Describe(key, value, filePath, lineNumber, reason), inner)
    {
        Key = key;
        Value = value;
        FilePath = filePath;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The configuration key (for a malformed line: the text before the separator, or the whole line).</summary>
    public string Key { get; }

    /// <summary>The value as written in the file; null when the key is missing.</summary>
    public string? Value { get; }

    /// <summary>The file the value came from; null for options built in code.</summary>
    public string? FilePath { get; }

    /// <summary>1-based line number of the key in <see cref="FilePath"/>; null when unknown (missing key, code).</summary>
    public int? LineNumber { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    private static string Describe(string key, string? value, string? filePath, int? lineNumber, string reason)
    {
        string location = filePath is null ? "options" : lineNumber is null ? filePath : $"{filePath}:{lineNumber}";
        // A null value on a known line is a line that did not parse into key=value: quote it as written.
        string setting = value is not null ? $"{key}={value}" : lineNumber is null ? $"{key} (not set)" : $"'{key}'";
        return $"{location}: {setting}: {reason}";
    }
}
