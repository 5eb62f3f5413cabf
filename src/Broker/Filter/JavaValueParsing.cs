using System.Text;
using System.Buffers.Text;
using System.Globalization;

namespace RaftMq.Broker.Filter;

/// <summary>
/// The conversions RocketMQ's selector applies to a property string when it meets a number or a boolean, as Java's
/// <c>Integer.valueOf</c>, <c>Long.valueOf</c>, <c>Double.valueOf</c> and <c>Boolean.valueOf</c> do them, on UTF-8
/// bytes without allocating. Hexadecimal floating-point strings are not accepted (Java accepts them).
/// </summary>
internal static class JavaValueParsing
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles DoubleStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Integer.valueOf: an optional sign and decimal digits, nothing else, within int range.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> utf8, out int value) =>
        IsSignedDigits(utf8) & int.TryParse(utf8, IntegerStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>Long.valueOf: an optional sign and decimal digits, nothing else, within long range.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> utf8, out long value) =>
        IsSignedDigits(utf8) & long.TryParse(utf8, IntegerStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>Double.valueOf: surrounding characters up to U+0020 trimmed, an optional sign, then "NaN", "Infinity"
    /// or a decimal number with optional fraction and exponent, and an optional f/F/d/D suffix.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> utf8, out double value)
    {
        value = 0;
        utf8 = TrimJavaWhitespace(utf8);
        if (utf8.IsEmpty) return false;
        bool negative = utf8[0] == '-';
        var unsigned = utf8[0] is (byte)'+' or (byte)'-' ? utf8[1..] : utf8;
        if (unsigned.IsEmpty) return false;
        if (unsigned.SequenceEqual("NaN"u8))
        {
            value = double.NaN;
            return true;
        }
        if (unsigned.SequenceEqual("Infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (unsigned[^1] is (byte)'f' or (byte)'F' or (byte)'d' or (byte)'D')
        {
            unsigned = unsigned[..^1];
            utf8 = utf8[..^1];
        }
        foreach (byte b in unsigned)
        {
            if (!(char.IsAsciiDigit((char)b) || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-')) return false;
        }
        return double.TryParse(utf8, DoubleStyle, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Boolean.valueOf: true exactly when the text is "true" in any letter case.</summary>
    public static bool ParseBoolean(ReadOnlySpan<byte> utf8) => Ascii.EqualsIgnoreCase(utf8, "true"u8);

    /// <summary>Double.compare: NaN above everything and equal to itself, -0.0 below 0.0.</summary>
    public static int CompareDoubles(double left, double right)
    {
        if (left < right) return -1;
        if (left > right) return 1;
        long leftBits = JavaBits(left);
        long rightBits = JavaBits(right);
        return leftBits.CompareTo(rightBits);
    }

    /// <summary>Double.doubleToLongBits: every NaN is the one canonical positive NaN.</summary>
    private static long JavaBits(double value) => double.IsNaN(value) ? 0x7ff8000000000000L : BitConverter.DoubleToInt64Bits(value);

    private static bool IsSignedDigits(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.IsEmpty && utf8[0] is (byte)'+' or (byte)'-') utf8 = utf8[1..];
        if (utf8.IsEmpty) return false;
        foreach (byte b in utf8)
        {
            if (!char.IsAsciiDigit((char)b)) return false;
        }
        return true;
    }

    private static ReadOnlySpan<byte> TrimJavaWhitespace(ReadOnlySpan<byte> utf8)
    {
        int start = 0, end = utf8.Length;
        while (start < end && utf8[start] <= ' ') start++;
        while (end > start && utf8[end - 1] <= ' ') end--;
        return utf8[start..end];
    }
}
