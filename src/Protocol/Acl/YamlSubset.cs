using System.Globalization;
using System.Text;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// Reads the part of YAML that <c>plain_acl.yml</c> uses: block mappings and block sequences (also a sequence at the
/// indentation of its key, as SnakeYAML writes it), "- key: value" items, plain, 'single' and "double" quoted scalars,
/// <c>[a, b]</c> flow sequences of scalars, comments and blank lines. Anything else (anchors, block scalars, flow
/// mappings, tabs) is refused with the line number. Results: <see cref="Dictionary{TKey,TValue}"/> of string to node,
/// <see cref="List{T}"/> of nodes, <see cref="string"/>, or null. Protocol depends on the BCL only, hence no YAML library.
/// </summary>
internal sealed class YamlSubset
{
    private readonly List<(int Indent, string Text, int Number)> _lines = [];
    private int _next;

    private YamlSubset(string text)
    {
        int number = 0;
        foreach (string raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            string line = StripComment(raw).TrimEnd();
            if (line.Length == 0) continue;
            int indent = 0;
            while (indent < line.Length && line[indent] == ' ') indent++;
            if (line[indent] == '\t') throw Error(number, "tabs are not allowed for indentation");
            if (line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("...", StringComparison.Ordinal)) continue;
            _lines.Add((indent, line[indent..], number));
        }
    }

    public static object? Parse(string text)
    {
        var parser = new YamlSubset(text);
        if (parser._lines.Count == 0) return null;
        var root = parser.ParseNode(parser._lines[0].Indent);
        if (parser._next < parser._lines.Count) throw Error(parser._lines[parser._next].Number, "unexpected indentation");
        return root;
    }

    private object? ParseNode(int indent)
    {
        var (_, text, _) = _lines[_next];
        return IsSequenceItem(text) ? ParseSequence(indent) : ParseMapping(indent);
    }

    private List<object?> ParseSequence(int indent)
    {
        var items = new List<object?>();
        while (_next < _lines.Count && _lines[_next].Indent == indent && IsSequenceItem(_lines[_next].Text))
        {
            var (_, text, number) = _lines[_next];
            string rest = text.Length == 1 ? "" : text[2..];
            int restIndent = indent + 2 + (rest.Length - rest.TrimStart().Length);
            rest = rest.Trim();
            if (rest.Length == 0)
            {
                _next++;
                items.Add(_next < _lines.Count && _lines[_next].Indent > indent ? ParseNode(_lines[_next].Indent) : null);
            }
            else if (FindKeyColon(rest) >= 0 || IsSequenceItem(rest))
            {
                _lines[_next] = (restIndent, rest, number); // "- key: v": the item is a mapping starting on this line
                items.Add(ParseNode(restIndent));
            }
            else
            {
                _next++;
                items.Add(Scalar(rest, number));
            }
        }
        return items;
    }

    private Dictionary<string, object?> ParseMapping(int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (_next < _lines.Count && _lines[_next].Indent == indent && !IsSequenceItem(_lines[_next].Text))
        {
            var (_, text, number) = _lines[_next];
            int colon = FindKeyColon(text);
            if (colon < 0) throw Error(number, $"expected 'key: value', found '{text}'");
            string key = Unquote(text[..colon].Trim(), number) ?? "";
            string value = text[(colon + 1)..].Trim();
            if (map.ContainsKey(key)) throw Error(number, $"key '{key}' appears twice");
            _next++;
            if (value.Length > 0)
            {
                map[key] = Scalar(value, number);
            }
            else if (_next < _lines.Count && _lines[_next].Indent > indent)
            {
                map[key] = ParseNode(_lines[_next].Indent);
            }
            else if (_next < _lines.Count && _lines[_next].Indent == indent && IsSequenceItem(_lines[_next].Text))
            {
                map[key] = ParseSequence(indent);
            }
            else
            {
                map[key] = null;
            }
        }
        if (_next < _lines.Count && _lines[_next].Indent > indent) throw Error(_lines[_next].Number, "unexpected indentation");
        return map;
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    /// <summary>Index of the ':' that ends a mapping key (followed by a space or the end), outside quotes; -1 if none.</summary>
    private static int FindKeyColon(string text)
    {
        if (text.StartsWith('[') || text.StartsWith('{')) return -1;
        char quote = text.Length > 0 && text[0] is '\'' or '"' ? text[0] : '\0';
        int start = 0;
        if (quote != '\0')
        {
            int close = text.IndexOf(quote, 1);
            if (close < 0) return -1;
            start = close + 1;
        }
        for (int i = start; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' ')) return i;
        }
        return -1;
    }

    private static object? Scalar(string text, int number)
    {
        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']')) throw Error(number, $"unterminated flow sequence '{text}'");
            var items = new List<object?>();
            foreach (string part in text[1..^1].Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Length > 0) items.Add(Unquote(part, number));
            }
            return items;
        }
        if (text[0] is '{' or '&' or '*' or '|' or '>' or '!' or '%' or '@' or '`')
        {
            throw Error(number, $"'{text}' uses YAML that plain_acl.yml does not need (flow mappings, anchors, tags, block scalars)");
        }
        return Unquote(text, number);
    }

    private static string? Unquote(string text, int number)
    {
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') return UnescapeDouble(text[1..^1], number);
        if (text[0] is '\'' or '"') throw Error(number, $"unterminated quoted string {text}");
        return text is "~" or "null" or "Null" or "NULL" ? null : text;
    }

    private static string UnescapeDouble(string text, int number)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                builder.Append(text[i]);
                continue;
            }
            if (++i == text.Length) throw Error(number, "a double-quoted string ends with a backslash");
            builder.Append(text[i] switch
            {
                'n' => '\n',
                't' => '\t',
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                _ => throw Error(number, $"escape \\{text[i]} is not supported"),
            });
        }
        return builder.ToString();
    }

    /// <summary>Removes a comment: '#' at the start or after a space, outside quotes.</summary>
    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '\'' or '"' && (i == 0 || line[i - 1] is ' ' or '-' or ':' or '[' or ','))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }
        return line;
    }

    private static AclConfigException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));
}
