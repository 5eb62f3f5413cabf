using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RaftMq.Broker.Tests.Filter;

/// <summary>
/// A plain, slow model of RocketMQ's SQL92 selector for property tests: an expression tree that renders itself as
/// selector text and evaluates over a dictionary with boxed Java-like values (null, bool, int, long, double,
/// string), throwing where the Java code throws. Written independently of the broker's compiled evaluator.
/// </summary>
internal abstract record Expr
{
    public abstract string Render();

    /// <summary>null, true/false, or a number/string value; throws <see cref="JavaError"/>.</summary>
    public abstract object? Eval(IReadOnlyDictionary<string, string> properties);

    public bool Matches(IReadOnlyDictionary<string, string> properties)
    {
        try
        {
            return Eval(properties) is true;
        }
        catch (JavaError)
        {
            return false;
        }
    }
}

internal sealed class JavaError : Exception
{
    public JavaError(string message) : base(message)
    {
    }

    public JavaError()
    {
    }

    public JavaError(string message, Exception innerException) : base(message, innerException)
    {
    }
}

internal sealed record PropertyRef(string Name) : Expr
{
    public override string Render() => Name;

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => properties.GetValueOrDefault(Name);
}

internal sealed record Lit(object? Value) : Expr
{
    public override string Render() => Value switch
    {
        null => "NULL",
        true => "TRUE",
        false => "FALSE",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E')) ? text : text + ".0",
        _ => throw new InvalidOperationException(),
    };

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => Value;
}

internal sealed record Neg(Expr Operand) : Expr
{
    public override string Render() => "-" + Operand.Render();

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => Operand.Eval(properties) switch
    {
        int i => unchecked(-i),
        long l => unchecked(-l),
        double d => -d,
        _ => null,
    };
}

/// <summary>A property used as a condition.</summary>
internal sealed record Cast(PropertyRef Property) : Expr
{
    public override string Render() => Property.Render();

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => Property.Eval(properties) is null ? null : false;
}

internal sealed record Not(Expr Operand) : Expr
{
    public override string Render() => "NOT (" + Operand.Render() + ")";

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => Operand.Eval(properties) is bool b ? !b : null;
}

internal sealed record Logic(bool IsAnd, Expr Left, Expr Right) : Expr
{
    public override string Render() => "(" + Left.Render() + (IsAnd ? ") AND (" : ") OR (") + Right.Render() + ")";

    public override object? Eval(IReadOnlyDictionary<string, string> properties)
    {
        var l = (bool?)Left.Eval(properties);
        if (l == !IsAnd) return l;
        var r = (bool?)Right.Eval(properties);
        if (r == !IsAnd) return r;
        return l is null || r is null ? null : IsAnd;
    }
}

internal sealed record Cmp(string Op, Expr Left, Expr Right) : Expr
{
    public override string Render() => "(" + Left.Render() + " " + Op + " " + Right.Render() + ")";

    public override object? Eval(IReadOnlyDictionary<string, string> properties)
    {
        if (Op is "=" or "<>")
        {
            var eq = JavaSemantics.Equal(Left.Eval(properties), Right.Eval(properties));
            return Op == "=" ? eq : eq is bool b ? !b : null;
        }
        var l = Left.Eval(properties);
        if (l is null) return null;
        var r = Right.Eval(properties);
        if (r is null) return null;
        int c = l is string ls && r is string rs ? JavaSemantics.JavaCompare(JavaSemantics.ParseDouble(ls), JavaSemantics.ParseDouble(rs)) : JavaSemantics.Compare(l, r);
        return Op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
    }
}

internal sealed record IsNull(Expr Operand, bool Negated) : Expr
{
    public override string Render() => "(" + Operand.Render() + (Negated ? " IS NOT NULL)" : " IS NULL)");

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => (Operand.Eval(properties) is null) ^ Negated;
}

internal sealed record Between(Expr Value, Expr Low, Expr High, bool Negated) : Expr
{
    public override string Render() => "(" + Value.Render() + (Negated ? " NOT BETWEEN " : " BETWEEN ") + Low.Render() + " AND " + High.Render() + ")";

    public override object? Eval(IReadOnlyDictionary<string, string> properties) => Negated
        ? new Logic(false, new Cmp("<", Value, Low), new Cmp(">", Value, High)).Eval(properties)
        : new Logic(true, new Cmp(">=", Value, Low), new Cmp("<=", Value, High)).Eval(properties);
}

internal sealed record InList(PropertyRef Property, string[] Values, bool Negated) : Expr
{
    public override string Render() =>
        "(" + Property.Render() + (Negated ? " NOT IN (" : " IN (") + string.Join(", ", Values.Select(v => new Lit(v).Render())) + "))";

    public override object? Eval(IReadOnlyDictionary<string, string> properties) =>
        Property.Eval(properties) is string s ? Values.Contains(s) ^ Negated : null;
}

/// <summary>Java's boxed comparisons as RocketMQ's ComparisonExpression performs them, written out case by case.</summary>
internal static partial class JavaSemantics
{
    public static object? Equal(object? l, object? r)
    {
        if (l is null && r is null) return true;
        if (l is null) return null;
        if (r is null) return false;
        if (l.Equals(r)) return true;
        return Compare(l, r) == 0;
    }

    public static int Compare(object l, object r)
    {
        switch (l, r)
        {
            case (bool a, bool b): return a.CompareTo(b);
            case (bool, string): throw new JavaError("ClassCastException");
            case (bool, _): return -1;
            case (int a, int b): return a.CompareTo(b);
            case (int a, long b): return ((long)a).CompareTo(b);
            case (int a, double b): return JavaCompare(a, b);
            case (int a, string b): return a.CompareTo(ParseInt(b));
            case (long a, int b): return a.CompareTo(b);
            case (long a, long b): return a.CompareTo(b);
            case (long a, double b): return JavaCompare(a, b);
            case (long a, string b): return a.CompareTo(ParseLong(b));
            case (double a, int b): return JavaCompare(a, b);
            case (double a, long b): return JavaCompare(a, b);
            case (double a, double b): return JavaCompare(a, b);
            case (double a, string b): return JavaCompare(a, ParseDouble(b));
            case (string a, bool b): return string.Equals(a, "true", StringComparison.OrdinalIgnoreCase).CompareTo(b);
            case (string a, int b): return ParseInt(a).CompareTo(b);
            case (string a, long b): return ParseLong(a).CompareTo(b);
            case (string a, double b): return JavaCompare(ParseDouble(a), b);
            case (string a, string b): return string.CompareOrdinal(a, b);
            default: return -1;
        }
    }

    public static int JavaCompare(double a, double b)
    {
        if (double.IsNaN(a)) return double.IsNaN(b) ? 0 : 1;
        if (double.IsNaN(b)) return -1;
        if (a < b) return -1;
        if (a > b) return 1;
        bool aNegZero = a == 0 && double.IsNegative(a), bNegZero = b == 0 && double.IsNegative(b);
        return aNegZero == bNegZero ? 0 : aNegZero ? -1 : 1;
    }

    public static int ParseInt(string s) =>
        IntegerText().IsMatch(s) && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : throw new JavaError("NumberFormatException");

    public static long ParseLong(string s) =>
        IntegerText().IsMatch(s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw new JavaError("NumberFormatException");

    public static double ParseDouble(string s)
    {
        string t = s.Trim(Enumerable.Range(0, 33).Select(c => (char)c).ToArray());
        var m = DoubleText().Match(t);
        if (!m.Success) throw new JavaError("NumberFormatException");
        string unsigned = m.Groups["body"].Value;
        double value = unsigned switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            _ => double.Parse(unsigned, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
        };
        return m.Groups["sign"].Value == "-" ? -value : value;
    }

    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex IntegerText();

    [GeneratedRegex("^(?<sign>[+-]?)(?<body>NaN|Infinity|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)[fFdD]?$")]
    private static partial Regex DoubleText();

    /// <summary>Java's property string: pieces with an empty value are dropped.</summary>
    public static byte[] EncodeProperties(IReadOnlyDictionary<string, string> properties) =>
        Encoding.UTF8.GetBytes(string.Join('\u0002', properties.Select(p => p.Key + '\u0001' + p.Value)));
}
