using System.Buffers;
using System.Text;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// Java's <c>String.hashCode()</c>: <c>h = 31*h + c</c> over UTF-16 code units with int32 wrap-around. RocketMQ
/// uses it as the tag hash (ConsumeQueue tagsCode, heartbeat codeSet); .NET's GetHashCode is unrelated.
/// </summary>
public static class JavaStringHash
{
    /// <summary>Hash of <paramref name="text"/>; a <paramref name="seed"/> continues the hash of a prefix
    /// (Compute(b, Compute(a)) == Compute(a + b)).</summary>
    public static int Compute(ReadOnlySpan<char> text, int seed = 0)
    {
        int hash = seed;
        foreach (char c in text) hash = unchecked((31 * hash) + c);
        return hash;
    }

    /// <summary>Hash of the string that <paramref name="utf8"/> decodes to (invalid bytes count as U+FFFD, as in Java).</summary>
    public static int ComputeUtf8(ReadOnlySpan<byte> utf8, int seed = 0)
    {
        int hash = seed;
        while (!utf8.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(utf8, out var rune, out int consumed);
            if (status != OperationStatus.Done) rune = Rune.ReplacementChar;
            if (rune.IsBmp)
            {
                hash = unchecked((31 * hash) + rune.Value);
            }
            else
            {
                int offset = rune.Value - 0x10000;
                hash = unchecked((31 * hash) + (0xD800 + (offset >> 10)));
                hash = unchecked((31 * hash) + (0xDC00 + (offset & 0x3FF)));
            }
            utf8 = utf8[consumed..];
        }
        return hash;
    }

    /// <summary>RocketMQ's tagsCode: 0 for no tag, otherwise the Java hash of the tag.</summary>
    public static long TagsCode(ReadOnlySpan<char> tags) => tags.IsEmpty ? 0 : Compute(tags);
}
