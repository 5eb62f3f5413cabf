using System.Buffers;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// Rewrites fastjson's non-standard object keys into quoted keys so a standard parser accepts them: bare tokens such as
/// <c>{0:"a"}</c>, and objects used as keys (a map keyed by MessageQueue: <c>{{"brokerName":..}:{..}}</c>), which become
/// the object's JSON text as a string (<see cref="ObjectKeyed"/> reads them back). Strings are copied untouched.
/// </summary>
internal static class FastJsonNormalizer
{
    /// <summary>Returns false when there was no bare key to quote (the input's problem lies elsewhere).</summary>
    public static bool TryQuoteBareKeys(ReadOnlySpan<byte> input, out byte[] output)
    {
        var writer = new ArrayBufferWriter<byte>(input.Length + 16);
        var objectDepths = new Stack<bool>(); // true = object, false = array
        bool expectKey = false;
        bool changed = false;
        int i = 0;
        while (i < input.Length)
        {
            byte b = input[i];
            if (b == '"')
            {
                int end = SkipString(input, i);
                writer.Write(input[i..end]);
                i = end;
                expectKey = false;
                continue;
            }
            if (expectKey && b == '{')
            {
                int end = SkipObject(input, i);
                WriteAsString(writer, input[i..end]);
                changed = true;
                i = end;
                expectKey = false;
                continue;
            }
            if (expectKey && !IsWhitespace(b) && b != '}')
            {
                int end = i;
                while (end < input.Length && input[end] != ':' && !IsWhitespace(input[end])) end++;
                writer.Write("\""u8);
                writer.Write(input[i..end]);
                writer.Write("\""u8);
                changed = true;
                i = end;
                expectKey = false;
                continue;
            }
            if (b == '{') objectDepths.Push(true);
            else if (b == '[') objectDepths.Push(false);
            else if ((b == '}' || b == ']') && objectDepths.Count > 0) objectDepths.Pop();
            if (b == '{' || (b == ',' && objectDepths.Count > 0 && objectDepths.Peek())) expectKey = true;
            else if (!IsWhitespace(b)) expectKey = false;
            writer.Write(input.Slice(i, 1));
            i++;
        }
        output = changed ? writer.WrittenSpan.ToArray() : [];
        return changed;
    }

    /// <summary>The end (exclusive) of the object starting at <paramref name="start"/>, strings skipped.</summary>
    private static int SkipObject(ReadOnlySpan<byte> input, int start)
    {
        int depth = 0;
        int i = start;
        while (i < input.Length)
        {
            byte b = input[i];
            if (b == '"')
            {
                i = SkipString(input, i);
                continue;
            }
            if (b == '{') depth++;
            else if (b == '}' && --depth == 0) return i + 1;
            i++;
        }
        return input.Length;
    }

    private static void WriteAsString(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> json)
    {
        writer.Write("\""u8);
        foreach (byte b in json)
        {
            if (b is (byte)'"' or (byte)'\\') writer.Write("\\"u8);
            writer.Write([b]);
        }
        writer.Write("\""u8);
    }

    private static int SkipString(ReadOnlySpan<byte> input, int start)
    {
        int i = start + 1;
        while (i < input.Length)
        {
            if (input[i] == '\\') i += 2;
            else if (input[i] == '"') return i + 1;
            else i++;
        }
        return input.Length;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
