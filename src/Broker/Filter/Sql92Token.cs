namespace RaftMq.Broker.Filter;

internal enum Sql92TokenKind
{
    End,
    Identifier,
    StringLiteral,
    DecimalLiteral,
    FloatLiteral,
    LeftParen,
    RightParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    And,
    Or,
    Not,
    Between,
    In,
    Is,
    True,
    False,
    Null,
}

/// <summary>One token: its kind, its source text (a string literal's decoded value) and where it starts (1-based).</summary>
internal readonly record struct Sql92Token(Sql92TokenKind Kind, string Text, int Line, int Column)
{
    public string Describe() => Kind switch
    {
        Sql92TokenKind.End => "the end of the expression",
        Sql92TokenKind.StringLiteral => $"'{Text.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => $"\"{Text}\"",
    };

    public string Where => $"line {Line}, column {Column}";
}
