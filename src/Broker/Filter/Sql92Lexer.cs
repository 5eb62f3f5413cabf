namespace RaftMq.Broker.Filter;

/// <summary>
/// Splits a selector into tokens the way RocketMQ's JavaCC grammar does: case-insensitive keywords, identifiers of
/// ASCII letters, digits, '_' and '$', quoted strings with '' as the escaped quote, decimal literals with an optional
/// L suffix, floating-point literals, "--" line comments (only when a line break ends them) and block comments.
/// </summary>
internal static class Sql92Lexer
{
    public static List<Sql92Token> Tokenize(string text)
    {
        var tokens = new List<Sql92Token>();
        var cursor = new Cursor(text);
        while (true)
        {
            cursor.SkipBlanksAndComments();
            if (cursor.AtEnd)
            {
                tokens.Add(new Sql92Token(Sql92TokenKind.End, "", cursor.Line, cursor.Column));
                return tokens;
            }
            tokens.Add(cursor.Next());
        }
    }

    private sealed class Cursor(string text)
    {
        private int _position;

        public int Line { get; private set; } = 1;

        public int Column => _position - _lineStart + 1;

        private int _lineStart;

        public bool AtEnd => _position >= text.Length;

        private char Peek(int ahead = 0) => _position + ahead < text.Length ? text[_position + ahead] : '\0';

        public void SkipBlanksAndComments()
        {
            while (!AtEnd)
            {
                char c = Peek();
                if (c is ' ' or '\t' or '\n' or '\r' or '\f') Advance(1);
                else if (c == '-' && Peek(1) == '-' && text.IndexOfAny(['\n', '\r'], _position) is int lineEnd and >= 0) Advance(lineEnd + 1 - _position);
                else if (c == '/' && Peek(1) == '*') SkipBlockComment();
                else return;
            }
        }

        private void SkipBlockComment()
        {
            int end = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
            if (end < 0) throw Error("an unterminated comment");
            Advance(end + 2 - _position);
        }

        public Sql92Token Next()
        {
            int line = Line, column = Column;
            char c = Peek();
            if (IsIdentifierStart(c)) return Word(line, column);
            if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1)))) return Number(line, column);
            if (c == '\'') return StringLiteral(line, column);
            (Sql92TokenKind kind, int length) = (c, Peek(1)) switch
            {
                ('<', '>') => (Sql92TokenKind.NotEqual, 2),
                ('<', '=') => (Sql92TokenKind.LessOrEqual, 2),
                ('>', '=') => (Sql92TokenKind.GreaterOrEqual, 2),
                ('<', _) => (Sql92TokenKind.Less, 1),
                ('>', _) => (Sql92TokenKind.Greater, 1),
                ('=', _) => (Sql92TokenKind.Equal, 1),
                ('(', _) => (Sql92TokenKind.LeftParen, 1),
                (')', _) => (Sql92TokenKind.RightParen, 1),
                (',', _) => (Sql92TokenKind.Comma, 1),
                ('+', _) => (Sql92TokenKind.Plus, 1),
                ('-', _) => (Sql92TokenKind.Minus, 1),
                _ => throw Error($"the character '{c}'"),
            };
            string image = text.Substring(_position, length);
            Advance(length);
            return new Sql92Token(kind, image, line, column);
        }

        private Sql92Token Word(int line, int column)
        {
            int start = _position;
            while (IsIdentifierPart(Peek())) Advance(1);
            string word = text[start.._position];
            var kind = word.ToUpperInvariant() switch
            {
                "AND" => Sql92TokenKind.And,
                "OR" => Sql92TokenKind.Or,
                "NOT" => Sql92TokenKind.Not,
                "BETWEEN" => Sql92TokenKind.Between,
                "IN" => Sql92TokenKind.In,
                "IS" => Sql92TokenKind.Is,
                "TRUE" => Sql92TokenKind.True,
                "FALSE" => Sql92TokenKind.False,
                "NULL" => Sql92TokenKind.Null,
                _ => Sql92TokenKind.Identifier,
            };
            return new Sql92Token(kind, word, line, column);
        }

        private Sql92Token Number(int line, int column)
        {
            int start = _position;
            int digits = CountDigits(0);
            bool isFloat = false;
            if (Peek(digits) == '.')
            {
                isFloat = true;
                digits += 1 + CountDigits(digits + 1);
            }
            int exponent = ExponentLength(digits);
            if (exponent > 0)
            {
                isFloat = true;
                digits += exponent;
            }
            if (!isFloat)
            {
                // "0" stands alone ("007" is three tokens); only a literal starting 1-9 takes the L suffix.
                if (text[start] == '0') digits = 1;
                else if (Peek(digits) is 'l' or 'L') digits++;
            }
            Advance(digits);
            return new Sql92Token(isFloat ? Sql92TokenKind.FloatLiteral : Sql92TokenKind.DecimalLiteral, text[start.._position], line, column);
        }

        private int CountDigits(int from)
        {
            int count = 0;
            while (char.IsAsciiDigit(Peek(from + count))) count++;
            return count;
        }

        private int ExponentLength(int from)
        {
            if (Peek(from) is not ('e' or 'E')) return 0;
            int sign = Peek(from + 1) is '+' or '-' ? 1 : 0;
            int digits = CountDigits(from + 1 + sign);
            return digits == 0 ? 0 : 1 + sign + digits;
        }

        private Sql92Token StringLiteral(int line, int column)
        {
            var value = new System.Text.StringBuilder();
            int i = _position + 1;
            while (true)
            {
                if (i >= text.Length) throw Error("an unterminated string literal");
                if (text[i] == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        value.Append('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                value.Append(text[i++]);
            }
            Advance(i + 1 - _position);
            return new Sql92Token(Sql92TokenKind.StringLiteral, value.ToString(), line, column);
        }

        private void Advance(int count)
        {
            for (int i = 0; i < count; i++, _position++)
            {
                char c = text[_position];
                // \r\n counts as one line break.
                if (c == '\n' || (c == '\r' && Peek(1) != '\n'))
                {
                    Line++;
                    _lineStart = _position + 1;
                }
            }
        }

        private Sql92ParseException Error(string what) =>
            new($"Invalid SQL92 expression: {what} at line {Line}, column {Column}.");

        private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);
    }
}
