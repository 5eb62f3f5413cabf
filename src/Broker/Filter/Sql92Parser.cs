using System.Globalization;
using System.Text;

namespace RaftMq.Broker.Filter;

/// <summary>
/// Recursive descent over RocketMQ 4.9's selector grammar (precedence from loosest: OR, AND, "=" / "&lt;&gt;" /
/// IS [NOT] NULL, the relational operators with BETWEEN and IN, then unary +, - and NOT, which bind tightest), with
/// the operand checks RocketMQ makes while building the tree: no NULL in "=", no string, boolean or condition beside
/// a relational operator, IN only on a property, ordered constant BETWEEN bounds, and a condition wherever a
/// boolean is needed (a bare property is one: it is cast).
/// </summary>
internal sealed class Sql92Parser
{
    private const int MaxNesting = 100;

    private readonly string _text;
    private readonly List<Sql92Token> _tokens;
    private readonly Dictionary<string, int> _properties = new(StringComparer.Ordinal);
    private int _next;
    private int _depth;

    private Sql92Parser(string text)
    {
        _text = text;
        _tokens = Sql92Lexer.Tokenize(text);
    }

    /// <summary>The root and the distinct property names it reads (indexed as the nodes refer to them).</summary>
    public static (Sql92Node Root, string[] Properties) Parse(string text)
    {
        var parser = new Sql92Parser(text);
        var root = parser.Condition(parser.Or(), parser.Current);
        if (parser.Current.Kind != Sql92TokenKind.End) throw parser.Unexpected("an operator (AND, OR, =, <>, <, >, IN, BETWEEN, IS) or the end");
        var names = new string[parser._properties.Count];
        foreach (var (name, index) in parser._properties) names[index] = name;
        return (root, names);
    }

    private Sql92Token Current => _tokens[_next];

    private Sql92Token Take() => _tokens[_next++];

    private bool TakeIf(Sql92TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        _next++;
        return true;
    }

    private bool Peek(Sql92TokenKind first, Sql92TokenKind second) =>
        Current.Kind == first && _next + 1 < _tokens.Count && _tokens[_next + 1].Kind == second;

    private Sql92Node Or()
    {
        var left = And();
        while (Current.Kind == Sql92TokenKind.Or)
        {
            var op = Take();
            left = new OrNode(Condition(left, op), Condition(And(), op));
        }
        return left;
    }

    private Sql92Node And()
    {
        var left = Equality();
        while (Current.Kind == Sql92TokenKind.And)
        {
            var op = Take();
            left = new AndNode(Condition(left, op), Condition(Equality(), op));
        }
        return left;
    }

    private Sql92Node Equality()
    {
        var left = Comparison();
        while (true)
        {
            var op = Current;
            if (TakeIf(Sql92TokenKind.Equal)) left = Equal(left, Comparison(), op);
            else if (TakeIf(Sql92TokenKind.NotEqual)) left = new NotNode(Equal(left, Comparison(), op));
            else if (Peek(Sql92TokenKind.Is, Sql92TokenKind.Null))
            {
                _next += 2;
                left = new EqualNode(left, new ConstantNode(Sql92Value.Null));
            }
            else if (TakeIf(Sql92TokenKind.Is))
            {
                Expect(Sql92TokenKind.Not, "NOT or NULL after IS");
                Expect(Sql92TokenKind.Null, "NULL after IS NOT");
                left = new NotNode(new EqualNode(left, new ConstantNode(Sql92Value.Null)));
            }
            else return left;
        }
    }

    private Sql92Node Comparison()
    {
        var left = Unary();
        while (true)
        {
            var op = Current;
            switch (op.Kind)
            {
                case Sql92TokenKind.Greater or Sql92TokenKind.GreaterOrEqual or Sql92TokenKind.Less or Sql92TokenKind.LessOrEqual:
                    _next++;
                    left = Relational(RelationalOf(op.Kind), left, Unary(), op);
                    break;
                case Sql92TokenKind.Between:
                    _next++;
                    left = Between(left, op, negated: false);
                    break;
                case Sql92TokenKind.In:
                    _next++;
                    left = In(left, op, negated: false);
                    break;
                case Sql92TokenKind.Not when Peek(Sql92TokenKind.Not, Sql92TokenKind.Between):
                    _next += 2;
                    left = Between(left, op, negated: true);
                    break;
                case Sql92TokenKind.Not when Peek(Sql92TokenKind.Not, Sql92TokenKind.In):
                    _next += 2;
                    left = In(left, op, negated: true);
                    break;
                default:
                    return left;
            }
        }
    }

    private Sql92Node Unary()
    {
        if (++_depth > MaxNesting) throw Error($"the expression nests deeper than {MaxNesting} levels", Current);
        try
        {
            var token = Current;
            if (TakeIf(Sql92TokenKind.Plus)) return Unary();
            if (TakeIf(Sql92TokenKind.Minus)) return new NegateNode(Unary());
            if (TakeIf(Sql92TokenKind.Not)) return new NotNode(Condition(Unary(), token));
            return Primary();
        }
        finally
        {
            _depth--;
        }
    }

    private Sql92Node Primary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case Sql92TokenKind.StringLiteral:
                return new ConstantNode(Sql92Value.OfConstantString(Encoding.UTF8.GetBytes(token.Text)));
            case Sql92TokenKind.DecimalLiteral:
                return new ConstantNode(Decimal(token));
            case Sql92TokenKind.FloatLiteral:
                return new ConstantNode(Float(token));
            case Sql92TokenKind.True:
                return new ConstantNode(Sql92Value.True);
            case Sql92TokenKind.False:
                return new ConstantNode(Sql92Value.False);
            case Sql92TokenKind.Null:
                return new ConstantNode(Sql92Value.Null);
            case Sql92TokenKind.Identifier:
                return Property(token.Text);
            case Sql92TokenKind.LeftParen:
                var inner = Or();
                Expect(Sql92TokenKind.RightParen, "\")\"");
                return inner;
            default:
                _next--;
                throw Unexpected("a value: a property name, a literal, NOT, + or -, or \"(\"");
        }
    }

    private PropertyNode Property(string name)
    {
        if (!_properties.TryGetValue(name, out int index))
        {
            index = _properties.Count;
            _properties[name] = index;
        }
        return new PropertyNode(name, index);
    }

    private Sql92Node Equal(Sql92Node left, Sql92Node right, Sql92Token op)
    {
        if (IsNullConstant(left) || IsNullConstant(right)) throw Error("NULL cannot be compared with \"=\" or \"<>\" (use IS NULL)", op);
        if (left is ConstantNode && right is ConstantNode && left.IsBoolean && !right.IsBoolean)
        {
            throw Error("a boolean literal cannot be compared with a number or string literal", op);
        }
        return new EqualNode(left, right);
    }

    private RelationalNode Relational(RelationalOperator kind, Sql92Node left, Sql92Node right, Sql92Token op)
    {
        RequireComparable(left, op);
        RequireComparable(right, op);
        return new RelationalNode(kind, left, right);
    }

    /// <summary>Only numbers, properties and negations may stand beside &lt;, &lt;=, &gt;, &gt;= and BETWEEN.</summary>
    private void RequireComparable(Sql92Node operand, Sql92Token op)
    {
        bool comparable = operand is ConstantNode constant ? constant.Value.IsNumber : !operand.IsBoolean;
        if (!comparable) throw Error($"only numbers and properties can be compared with {op.Describe()}", op);
    }

    private Sql92Node Between(Sql92Node value, Sql92Token op, bool negated)
    {
        var low = Unary();
        Expect(Sql92TokenKind.And, "AND between the bounds of BETWEEN");
        var high = Unary();
        if (!negated && low is ConstantNode lowConstant && high is ConstantNode highConstant)
        {
            if (lowConstant.Value.IsNull || highConstant.Value.IsNull) throw Error("the bounds of BETWEEN cannot be NULL", op);
            var context = new Sql92Context(default, [], default);
            if (!Sql92Comparison.TryCompare(highConstant.Value, lowConstant.Value, ref context, out int order) || order < 0)
            {
                throw Error("the lower bound of BETWEEN must not exceed the upper bound", op);
            }
        }
        return negated
            ? new OrNode(Relational(RelationalOperator.Less, value, low, op), Relational(RelationalOperator.Greater, value, high, op))
            : new AndNode(Relational(RelationalOperator.GreaterOrEqual, value, low, op), Relational(RelationalOperator.LessOrEqual, value, high, op));
    }

    private InNode In(Sql92Node left, Sql92Token op, bool negated)
    {
        if (left is not PropertyNode property) throw Error("IN needs a property on its left", op);
        Expect(Sql92TokenKind.LeftParen, "\"(\" after IN");
        var values = new List<byte[]>();
        do
        {
            if (Current.Kind != Sql92TokenKind.StringLiteral) throw Unexpected("a string literal in the IN list");
            values.Add(Encoding.UTF8.GetBytes(Take().Text));
        }
        while (TakeIf(Sql92TokenKind.Comma));
        Expect(Sql92TokenKind.RightParen, "\",\" or \")\" in the IN list");
        return new InNode(property, [.. values], negated);
    }

    /// <summary>Where RocketMQ needs a BooleanExpression: conditions pass, a bare property is cast, anything else fails.</summary>
    private Sql92Node Condition(Sql92Node node, Sql92Token at)
    {
        if (node.IsBoolean) return node;
        if (node is PropertyNode) return new BooleanCastNode(node);
        throw Error("this is not a condition (a number, string or negation cannot be true or false)", at);
    }

    private Sql92Value Decimal(Sql92Token token)
    {
        string digits = token.Text.TrimEnd('l', 'L');
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw Error($"the number {token.Text} is out of the long range", token);
        }
        return value is >= int.MinValue and <= int.MaxValue ? Sql92Value.OfInt((int)value) : Sql92Value.OfLong(value);
    }

    private Sql92Value Float(Sql92Token token)
    {
        double value = double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
        // RocketMQ refuses what overflows and, comparing with Double.MIN_VALUE, also zero and underflows.
        if (double.IsInfinity(value)) throw Error($"the number {token.Text} is greater than the largest double", token);
        if (value < double.Epsilon) throw Error($"the decimal {token.Text} is below the smallest positive double (write 0 for zero)", token);
        return Sql92Value.OfDouble(value);
    }

    private static bool IsNullConstant(Sql92Node node) => node is ConstantNode { Value.IsNull: true };

    private static RelationalOperator RelationalOf(Sql92TokenKind kind) => kind switch
    {
        Sql92TokenKind.Greater => RelationalOperator.Greater,
        Sql92TokenKind.GreaterOrEqual => RelationalOperator.GreaterOrEqual,
        Sql92TokenKind.Less => RelationalOperator.Less,
        _ => RelationalOperator.LessOrEqual,
    };

    private void Expect(Sql92TokenKind kind, string what)
    {
        if (!TakeIf(kind)) throw Unexpected(what);
    }

    private Sql92ParseException Unexpected(string expected) =>
        new($"Invalid SQL92 expression \"{_text}\": unexpected {Current.Describe()} at {Current.Where}; expected {expected}.");

    private Sql92ParseException Error(string reason, Sql92Token at) =>
        new($"Invalid SQL92 expression \"{_text}\": {reason} ({at.Describe()} at {at.Where}).");
}
