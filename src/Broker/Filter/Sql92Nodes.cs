namespace RaftMq.Broker.Filter;

/// <summary>
/// A compiled selector node. Evaluation follows RocketMQ's Java objects: a value, NULL (unknown) or an error that
/// aborts the whole evaluation. <see cref="IsBoolean"/> marks what Java calls a BooleanExpression, which the parser
/// needs for RocketMQ's operand checks.
/// </summary>
internal abstract class Sql92Node
{
    public abstract Sql92Value Evaluate(ref Sql92Context context);

    public virtual bool IsBoolean => true;
}

internal sealed class ConstantNode(Sql92Value value) : Sql92Node
{
    public Sql92Value Value { get; } = value;

    /// <summary>TRUE, FALSE and NULL are boolean constants in RocketMQ; numbers and strings are not.</summary>
    public override bool IsBoolean => Value.Kind is Sql92ValueKind.Boolean or Sql92ValueKind.Null;

    public override Sql92Value Evaluate(ref Sql92Context context) => Value;
}

internal sealed class PropertyNode(string name, int index) : Sql92Node
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    public override bool IsBoolean => false;

    public override Sql92Value Evaluate(ref Sql92Context context) => context.Property(Index);
}

/// <summary>Unary minus: numbers negate (Java wrap-around for the minimum values), anything else is NULL.</summary>
internal sealed class NegateNode(Sql92Node operand) : Sql92Node
{
    public override bool IsBoolean => false;

    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var value = operand.Evaluate(ref context);
        return value.Kind switch
        {
            Sql92ValueKind.Int => Sql92Value.OfInt(unchecked(-value.Int)),
            Sql92ValueKind.Long => Sql92Value.OfLong(unchecked(-value.Long)),
            Sql92ValueKind.Double => Sql92Value.OfDouble(-value.Double),
            Sql92ValueKind.Error => value,
            _ => Sql92Value.Null,
        };
    }
}

/// <summary>A property used as a condition: NULL when missing, otherwise FALSE (property values are strings).</summary>
internal sealed class BooleanCastNode(Sql92Node operand) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var value = operand.Evaluate(ref context);
        return value.Kind is Sql92ValueKind.Null or Sql92ValueKind.Error or Sql92ValueKind.Boolean ? value : Sql92Value.False;
    }
}

internal sealed class NotNode(Sql92Node operand) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var value = operand.Evaluate(ref context);
        return value.Kind == Sql92ValueKind.Boolean ? Sql92Value.Of(!value.Boolean) : value;
    }
}

/// <summary>AND with SQL's three-valued logic; a FALSE left side decides without evaluating the right.</summary>
internal sealed class AndNode(Sql92Node left, Sql92Node right) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var l = left.Evaluate(ref context);
        if (l.IsError || l.IsFalse) return l;
        var r = right.Evaluate(ref context);
        if (r.IsError || r.IsFalse) return r;
        return l.IsNull || r.IsNull ? Sql92Value.Null : Sql92Value.True;
    }
}

/// <summary>OR with SQL's three-valued logic; a TRUE left side decides without evaluating the right.</summary>
internal sealed class OrNode(Sql92Node left, Sql92Node right) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var l = left.Evaluate(ref context);
        if (l.IsError || l.IsTrue) return l;
        var r = right.Evaluate(ref context);
        if (r.IsError || r.IsTrue) return r;
        return l.IsNull || r.IsNull ? Sql92Value.Null : Sql92Value.False;
    }
}

/// <summary>
/// "=" and IS NULL: both NULL is TRUE; only the left NULL is NULL; only the right NULL is FALSE; otherwise equal
/// values (after RocketMQ's conversions) are TRUE.
/// </summary>
internal sealed class EqualNode(Sql92Node left, Sql92Node right) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var l = left.Evaluate(ref context);
        if (l.IsError) return l;
        var r = right.Evaluate(ref context);
        if (r.IsError) return r;
        if (l.IsNull && r.IsNull) return Sql92Value.True;
        if (l.IsNull) return Sql92Value.Null;
        if (r.IsNull) return Sql92Value.False;
        return Sql92Comparison.TryCompare(l, r, ref context, out int result) ? Sql92Value.Of(result == 0) : Sql92Value.Error;
    }
}

internal enum RelationalOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>&lt;, &lt;=, &gt;, &gt;=: NULL on either side is NULL; two strings compare as doubles (an error when
/// either does not parse); other pairs use RocketMQ's conversions.</summary>
internal sealed class RelationalNode(RelationalOperator op, Sql92Node left, Sql92Node right) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var l = left.Evaluate(ref context);
        if (l.IsError || l.IsNull) return l;
        var r = right.Evaluate(ref context);
        if (r.IsError || r.IsNull) return r;
        int result;
        if (l.Kind == Sql92ValueKind.String && r.Kind == Sql92ValueKind.String)
        {
            if (!JavaValueParsing.TryParseDouble(context.Utf8(l), out double ld) || !JavaValueParsing.TryParseDouble(context.Utf8(r), out double rd))
            {
                return Sql92Value.Error;
            }
            result = JavaValueParsing.CompareDoubles(ld, rd);
        }
        else if (!Sql92Comparison.TryCompare(l, r, ref context, out result))
        {
            return Sql92Value.Error;
        }
        return Sql92Value.Of(op switch
        {
            RelationalOperator.Less => result < 0,
            RelationalOperator.LessOrEqual => result <= 0,
            RelationalOperator.Greater => result > 0,
            _ => result >= 0,
        });
    }
}

/// <summary>IN / NOT IN over string literals: NULL when the property is missing.</summary>
internal sealed class InNode(PropertyNode property, byte[][] values, bool negated) : Sql92Node
{
    public override Sql92Value Evaluate(ref Sql92Context context)
    {
        var value = property.Evaluate(ref context);
        if (value.Kind != Sql92ValueKind.String) return value.IsError ? value : Sql92Value.Null;
        var text = context.Utf8(value);
        bool found = false;
        foreach (byte[] candidate in values)
        {
            if (text.SequenceEqual(candidate))
            {
                found = true;
                break;
            }
        }
        return Sql92Value.Of(found ^ negated);
    }
}
