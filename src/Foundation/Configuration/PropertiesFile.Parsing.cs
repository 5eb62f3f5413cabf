using System.Globalization;
using System.Text;

namespace RaftMq.Foundation.Configuration;

public sealed partial class PropertiesFile
{
    /// <summary>
    /// Parses properties text. Accepted: <c>key=value</c> or <c>key:value</c> (first unescaped <c>=</c> or
    /// <c>:</c> separates), lines starting with <c>#</c> or <c>!</c> are comments, blank lines are skipped,
    /// whitespace around key and value is trimmed, a line ending in an odd number of backslashes continues on the
    /// next line, and Java escapes (<c>\t \n \r \f \uXXXX</c>, <c>\x</c> = x) are decoded. Stricter than Java: a
    /// line without a separator, or a key containing whitespace, is an error rather than a silently odd key.
    /// </summary>
    /// <param name="text">The file contents.</param>
    /// <param name="filePath">The name used in errors and exposed as <see cref="FilePath"/>.</param>
    public static PropertiesFile Parse(string text, string filePath)
    {
        var entries = new List<PropertyEntry>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string logical = lines[i].TrimEnd('\r');
            if (IsCommentOrBlank(logical)) continue;
            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
            {
                i++;
                logical = logical[..^1] + lines[i].TrimEnd('\r').TrimStart();
            }
            if (EndsWithContinuation(logical)) logical = logical[..^1]; // a continuation on the last line ends it
            entries.Add(ParseLine(logical, lineNumber, filePath));
        }
        return new PropertiesFile(filePath, entries);
    }

    private static bool IsCommentOrBlank(string line)
    {
        var trimmed = line.AsSpan().TrimStart();
        return trimmed.IsEmpty || trimmed[0] == '#' || trimmed[0] == '!';
    }

    private static bool EndsWithContinuation(string line)
    {
        int backslashes = 0;
        for (int i = line.Length - 1; i >= 0 && line[i] == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }

    private static PropertyEntry ParseLine(string line, int lineNumber, string filePath)
    {
        int separator = FindSeparator(line);
        if (separator < 0)
            throw new ConfigException(line.Trim(), null, filePath, lineNumber, "malformed line: expected key=value");
        string rawKey = line[..separator].Trim();
        string rawValue = line[(separator + 1)..].Trim();
        string key = Unescape(rawKey, filePath, lineNumber, rawKey);
        if (key.Length == 0)
            throw new ConfigException(line.Trim(), null, filePath, lineNumber, "malformed line: the key is empty");
        if (key.Any(char.IsWhiteSpace))
            throw new ConfigException(key, rawValue, filePath, lineNumber, "malformed line: the key contains whitespace");
        return new PropertyEntry(key, Unescape(rawValue, filePath, lineNumber, key), lineNumber);
    }

    private static int FindSeparator(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\') i++;
            else if (line[i] is '=' or ':') return i;
        }
        return -1;
    }

    private static string Unescape(string raw, string filePath, int lineNumber, string key)
    {
        if (!raw.Contains('\\')) return raw;
        var builder = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c != '\\' || i + 1 == raw.Length)
            {
                builder.Append(c);
                continue;
            }
            c = raw[++i];
            switch (c)
            {
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    if (raw.Length - i - 1 < 4
                        || !ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                        throw new ConfigException(key, raw, filePath, lineNumber, "malformed \\uXXXX escape");
                    builder.Append((char)code);
                    i += 4;
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }
}
