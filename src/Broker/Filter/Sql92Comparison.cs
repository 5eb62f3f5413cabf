using static RaftMq.Broker.Filter.JavaValueParsing;

namespace RaftMq.Broker.Filter;

/// <summary>
/// How RocketMQ's selector compares two non-null values of possibly different types (ActiveMQ's comparison with
/// string conversion on): numbers widen (int to long to double); a string meeting a number is parsed as that
/// number's Java type and an unparsable string is an error; a string meeting a boolean is <c>Boolean.valueOf</c>'d;
/// a boolean on the left of a string is an error (Java's cast fails); other mixes compare as "less" (-1).
/// </summary>
internal static class Sql92Comparison
{
    /// <summary>False when the comparison throws in RocketMQ (then the message does not match).</summary>
    public static bool TryCompare(in Sql92Value left, in Sql92Value right, ref Sql92Context context, out int result)
    {
        result = -1;
        switch (left.Kind)
        {
            case Sql92ValueKind.Boolean:
                if (right.Kind == Sql92ValueKind.String) return false;
                if (right.Kind == Sql92ValueKind.Boolean) result = left.Boolean.CompareTo(right.Boolean);
                return true;
            case Sql92ValueKind.String:
                return CompareString(context.Utf8(left), right, ref context, out result);
            case Sql92ValueKind.Int or Sql92ValueKind.Long or Sql92ValueKind.Double:
                return CompareNumber(left, right, ref context, out result);
            default:
                return true;
        }
    }

    private static bool CompareNumber(in Sql92Value left, in Sql92Value right, ref Sql92Context context, out int result)
    {
        result = -1;
        if (right.IsNumber)
        {
            result = CompareNumbers(left, right);
            return true;
        }
        if (right.Kind != Sql92ValueKind.String) return true;
        var text = context.Utf8(right);
        switch (left.Kind)
        {
            case Sql92ValueKind.Int when TryParseInt(text, out int i):
                result = left.Int.CompareTo(i);
                return true;
            case Sql92ValueKind.Long when TryParseLong(text, out long l):
                result = left.Long.CompareTo(l);
                return true;
            case Sql92ValueKind.Double when TryParseDouble(text, out double d):
                result = CompareDoubles(left.Double, d);
                return true;
            default:
                return false;
        }
    }

    private static bool CompareString(ReadOnlySpan<byte> left, in Sql92Value right, ref Sql92Context context, out int result)
    {
        result = -1;
        switch (right.Kind)
        {
            case Sql92ValueKind.String:
                result = left.SequenceCompareTo(context.Utf8(right));
                return true;
            case Sql92ValueKind.Boolean:
                result = ParseBoolean(left).CompareTo(right.Boolean);
                return true;
            case Sql92ValueKind.Int when TryParseInt(left, out int i):
                result = i.CompareTo(right.Int);
                return true;
            case Sql92ValueKind.Long when TryParseLong(left, out long l):
                result = l.CompareTo(right.Long);
                return true;
            case Sql92ValueKind.Double when TryParseDouble(left, out double d):
                result = CompareDoubles(d, right.Double);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Both numbers: as doubles when either is one, else as longs.</summary>
    public static int CompareNumbers(in Sql92Value left, in Sql92Value right) =>
        left.Kind == Sql92ValueKind.Double || right.Kind == Sql92ValueKind.Double
            ? CompareDoubles(left.AsDouble, right.AsDouble)
            : left.Long.CompareTo(right.Long);
}
