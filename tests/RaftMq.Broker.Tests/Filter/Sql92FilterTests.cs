using System.Text;
using RaftMq.Broker.Filter;

namespace RaftMq.Broker.Tests.Filter;

public sealed class Sql92FilterTests
{
    private static byte[] Properties(params (string Name, string Value)[] properties) =>
        Encoding.UTF8.GetBytes(string.Join('\u0002', properties.Select(p => p.Name + '\u0001' + p.Value)));

    private static bool Matches(string expression, params (string, string)[] properties) =>
        Sql92Filter.Compile(expression).Matches(Properties(properties));

    [Theory]
    [InlineData("a > 5 AND region = 'eu'", true)]
    [InlineData("a > 5 AND region = 'us'", false)]
    [InlineData("a BETWEEN 6 AND 7", true)]
    [InlineData("a NOT BETWEEN 6 AND 7", false)]
    [InlineData("region IN ('us', 'eu')", true)]
    [InlineData("region NOT IN ('us', 'eu')", false)]
    [InlineData("TAGS = 'TagA' OR TAGS = 'TagB'", true)]
    [InlineData("missing IS NULL AND a IS NOT NULL", true)]
    [InlineData("a = 7.0", true)]
    [InlineData("a >= 7.5", false)]
    [InlineData("flag = TRUE", true)]
    [InlineData("flag = FALSE", false)]
    [InlineData("TRUE", true)]
    [InlineData("nOt (a < 0) aNd region <> 'us'", true)]
    [InlineData("a > -10 AND a < 0 = FALSE", true)]
    [InlineData("-a < 0 OR -a >= 0", false)]
    [InlineData("/* block */ a = 7 -- line\n", true)]
    [InlineData("quote = 'it''s'", true)]
    public void Evaluates_like_RocketMQ(string expression, bool expected) =>
        Assert.Equal(expected, Matches(expression, ("a", "7"), ("region", "eu"), ("TAGS", "TagA"), ("flag", "True"), ("quote", "it's")));

    [Theory]
    [InlineData("missing > 5")]
    [InlineData("missing = 'x'")]
    [InlineData("missing <> 'x'")]
    [InlineData("missing NOT IN ('x')")]
    [InlineData("missing NOT BETWEEN 1 AND 2")]
    [InlineData("NOT (missing = 'x')")]
    [InlineData("missing")]
    public void A_comparison_on_a_missing_property_is_false_even_negated(string expression) =>
        Assert.False(Matches(expression, ("a", "1")));

    [Theory]
    [InlineData("a > 5")]
    [InlineData("a = 5")]
    [InlineData("a > 5 OR b = 'x'")]
    [InlineData("a BETWEEN 1 AND 9")]
    public void A_numeric_comparison_on_a_non_numeric_string_is_false_and_spoils_the_whole_expression(string expression) =>
        Assert.False(Matches(expression, ("a", "abc"), ("b", "x")));

    [Fact]
    public void An_integer_literal_compares_only_with_integer_text_and_a_decimal_literal_with_any_number()
    {
        Assert.False(Matches("a > 5", ("a", "5.5")));
        Assert.True(Matches("a > 5.0", ("a", "5.5")));
        Assert.False(Matches("a > 5", ("a", "10000000000")));
        Assert.True(Matches("a > 5000000000", ("a", "10000000000")));
        Assert.True(Matches("a < b", ("a", "2.5"), ("b", " 10 ")));
    }

    [Fact]
    public void A_right_hand_missing_value_is_false_but_a_left_hand_one_is_unknown()
    {
        Assert.True(Matches("NOT (a = missing)", ("a", "1")));
        Assert.False(Matches("NOT (missing = a)", ("a", "1")));
    }

    [Fact]
    public void Later_duplicates_win_and_empty_values_count_as_missing()
    {
        Assert.True(Matches("a = '2'", ("a", "1"), ("a", "2")));
        Assert.True(Matches("a IS NULL", ("a", "")));
    }

    [Theory]
    [InlineData("", "unexpected the end of the expression at line 1, column 1")]
    [InlineData("a > ", "unexpected the end of the expression at line 1, column 5")]
    [InlineData("a >> 5", "unexpected \">\" at line 1, column 4")]
    [InlineData("a == 5", "unexpected \"=\" at line 1, column 4")]
    [InlineData("a > 5 b", "unexpected \"b\" at line 1, column 7")]
    [InlineData("(a > 5", "unexpected the end of the expression at line 1, column 7")]
    [InlineData("a = 'open", "unterminated string literal at line 1, column 5")]
    [InlineData("a ! 5", "the character '!' at line 1, column 3")]
    [InlineData("a IN (1, 2)", "unexpected \"1\" at line 1, column 7")]
    [InlineData("a IN ()", "unexpected \")\" at line 1, column 7")]
    [InlineData("a > 'x'", "(\">\" at line 1, column 3)")]
    [InlineData("a = NULL", "IS NULL")]
    [InlineData("TRUE = 'x'", "boolean literal")]
    [InlineData("5", "not a condition")]
    [InlineData("a AND 5", "not a condition")]
    [InlineData("a BETWEEN 9 AND 1", "lower bound")]
    [InlineData("NOT a > 5", "only numbers and properties")]
    [InlineData("'x' IN ('x')", "IN needs a property")]
    [InlineData("a > 0.0", "smallest positive double")]
    [InlineData("a > 99999999999999999999", "out of the long range")]
    [InlineData("a > 5\n AND b ?", "line 2, column 8")]
    [InlineData("a = 1 -- no line end", "unexpected \"-\" at line 1, column 7")]
    public void Bad_expressions_are_refused_with_the_position_and_token(string expression, string expected)
    {
        var error = Assert.Throws<Sql92ParseException>(() => Sql92Filter.Compile(expression));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Sql92Filter.TryCompile(expression, out _, out string? remark));
        Assert.Equal(error.Message, remark);
    }

    [Fact]
    public void Matching_allocates_nothing_once_compiled()
    {
        var filter = Sql92Filter.Compile("(a > 5 AND region IN ('eu', 'us')) OR b BETWEEN 1.5 AND 9 OR c IS NULL OR NOT (d = TRUE)");
        byte[] properties = Properties(("KEYS", "k1"), ("a", "7"), ("region", "eu"), ("b", "3.25"), ("d", "true"), ("UNIQ_KEY", "ABC"));
        Assert.True(filter.Matches(properties));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) filter.Matches(properties);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
