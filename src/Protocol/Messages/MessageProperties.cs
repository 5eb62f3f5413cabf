using System.Text;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// The message property string: <c>name \u0001 value \u0002 name \u0001 value</c>, UTF-8 on disk. Java writes no
/// trailing \u0002, ali-ons always does; parsers skip empty or malformed pieces the way Java's split does
/// (a piece counts only with a non-empty value and exactly one \u0001).
/// </summary>
public static class MessageProperties
{
    public const char NameValueSeparator = '\u0001';
    public const char PropertySeparator = '\u0002';

    /// <summary>Parses the property string; null or empty gives an empty map. Later duplicates win.</summary>
    public static StringMap Parse(string? text)
    {
        var map = new StringMap();
        if (string.IsNullOrEmpty(text)) return map;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf(PropertySeparator);
            var piece = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (TrySplit(piece, out var name, out var value)) map.Set(name.ToString(), value.ToString());
        }
        return map;
    }

    /// <summary>Parses UTF-8 property bytes (as stored in a message record).</summary>
    public static StringMap Parse(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new StringMap() : Parse(Encoding.UTF8.GetString(utf8));

    /// <summary>Java's form: pieces joined by \u0002, no trailing separator.</summary>
    public static string Encode(StringMap properties)
    {
        var builder = new StringBuilder();
        foreach (var property in properties)
        {
            if (builder.Length > 0) builder.Append(PropertySeparator);
            builder.Append(property.Key).Append(NameValueSeparator).Append(property.Value);
        }
        return builder.ToString();
    }

    /// <summary>UTF-8 length of <see cref="Encode(StringMap)"/>'s output.</summary>
    public static int GetUtf8Length(StringMap properties)
    {
        int length = Math.Max(0, properties.Count * 2 - 1);
        foreach (var property in properties)
        {
            length += Encoding.UTF8.GetByteCount(property.Key) + Encoding.UTF8.GetByteCount(property.Value);
        }
        return length;
    }

    /// <summary>Writes <see cref="Encode(StringMap)"/>'s output as UTF-8 into <paramref name="destination"/>; returns the byte count.</summary>
    public static int EncodeUtf8(StringMap properties, Span<byte> destination)
    {
        int position = 0;
        foreach (var property in properties)
        {
            if (position > 0) destination[position++] = (byte)PropertySeparator;
            position += Encoding.UTF8.GetBytes(property.Key, destination[position..]);
            destination[position++] = (byte)NameValueSeparator;
            position += Encoding.UTF8.GetBytes(property.Value, destination[position..]);
        }
        return position;
    }

    /// <summary>Finds one property without allocating (last occurrence wins, as when parsing).</summary>
    public static bool TryGetValue(ReadOnlySpan<char> text, ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        value = default;
        bool found = false;
        while (!text.IsEmpty)
        {
            int end = text.IndexOf(PropertySeparator);
            var piece = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (TrySplit(piece, out var pieceName, out var pieceValue) && pieceName.SequenceEqual(name))
            {
                value = pieceValue;
                found = true;
            }
        }
        return found;
    }

    /// <summary>Finds one property in UTF-8 bytes without allocating (last occurrence wins).</summary>
    public static bool TryGetValue(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        bool found = false;
        while (!utf8.IsEmpty)
        {
            int end = utf8.IndexOf((byte)PropertySeparator);
            var piece = end < 0 ? utf8 : utf8[..end];
            utf8 = end < 0 ? default : utf8[(end + 1)..];
            int split = piece.IndexOf((byte)NameValueSeparator);
            if (split <= 0 || split == piece.Length - 1) continue;
            var pieceValue = piece[(split + 1)..];
            if (pieceValue.IndexOf((byte)NameValueSeparator) >= 0) continue;
            if (piece[..split].SequenceEqual(name))
            {
                value = pieceValue;
                found = true;
            }
        }
        return found;
    }

    private static bool TrySplit(ReadOnlySpan<char> piece, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        int split = piece.IndexOf(NameValueSeparator);
        name = split > 0 ? piece[..split] : default;
        value = split > 0 ? piece[(split + 1)..] : default;
        return split > 0 && !value.IsEmpty && value.IndexOf(NameValueSeparator) < 0;
    }
}
