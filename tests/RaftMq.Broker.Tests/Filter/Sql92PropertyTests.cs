using FsCheck;
using FsCheck.Fluent;
using RaftMq.Broker.Filter;

namespace RaftMq.Broker.Tests.Filter;

/// <summary>Random well-formed selectors and random messages: the compiled filter agrees with the plain reference
/// model of RocketMQ's semantics (<see cref="ReferenceSelector"/>) on every message.</summary>
public sealed class Sql92PropertyTests
{
    private static readonly string[] Names = ["a", "b", "region", "TAGS"];

    private static readonly string[] Values =
        ["1", "-3", "7", "2.5", "abc", "eu", "true", "TRUE", "10000000000", "", " 7 ", "NaN", "1e3", "-0.0", "0", "x'y", "+4"];

    private static readonly Gen<PropertyRef> AnyProp = Gen.Elements(Names).Select(n => new PropertyRef(n));

    private static readonly Gen<Expr> AnyNumber = Gen.OneOf(
        Gen.Choose(-5, 12).Select(i => (Expr)new Lit(i)),
        Gen.Elements(10_000_000_000L, 3_000_000_000L).Select(l => (Expr)new Lit(l)),
        Gen.Elements(2.5, 1e3, 0.5, 7.0).Select(d => (Expr)new Lit(d)));

    /// <summary>Non-negative numeric literals only: BETWEEN bounds must be literals to be ordered.</summary>
    private static readonly Gen<Expr> Comparable = Gen.Frequency(
        (3, AnyProp.Select(p => (Expr)p)),
        (3, AnyNumber),
        (1, AnyProp.Select(p => (Expr)new Neg(p))),
        (1, AnyNumber.Select(n => (Expr)new Neg(n))));

    private static readonly Gen<Expr> Equatable = Gen.Frequency(
        (3, Comparable),
        (2, Gen.Elements(Values).Select(v => (Expr)new Lit(v))));

    private static Gen<Expr> Condition(int size)
    {
        var leaf = Gen.OneOf(
            from op in Gen.Elements("<", "<=", ">", ">=")
            from l in Comparable
            from r in Comparable
            select (Expr)new Cmp(op, l, r),
            from op in Gen.Elements("=", "<>")
            from l in Equatable
            from r in Equatable
            select (Expr)new Cmp(op, l, r),
            from p in AnyProp
            from b in Gen.Elements(true, false)
            from op in Gen.Elements("=", "<>")
            select (Expr)new Cmp(op, p, new Lit(b)),
            from e in Equatable
            from negated in Gen.Elements(true, false)
            select (Expr)new IsNull(e, negated),
            from v in Comparable
            from x in Gen.Choose(-3, 8)
            from y in Gen.Choose(-3, 8)
            from negated in Gen.Elements(true, false)
            select (Expr)new Between(v, new Lit(Math.Min(x, y)), new Lit(Math.Max(x, y)), negated),
            from p in AnyProp
            from values in Gen.Elements(Values).NonEmptyListOf()
            from negated in Gen.Elements(true, false)
            select (Expr)new InList(p, [.. values], negated),
            AnyProp.Select(p => (Expr)new Cast(p)),
            Gen.Elements(true, false).Select(b => (Expr)new Lit(b)));
        if (size <= 0) return leaf;
        var smaller = Condition(size / 2);
        return Gen.Frequency(
            (3, leaf),
            (2, from isAnd in Gen.Elements(true, false) from l in smaller from r in smaller select (Expr)new Logic(isAnd, l, r)),
            (1, smaller.Select(c => (Expr)new Not(c))));
    }

    private static readonly Gen<Dictionary<string, string>> AnyMessage =
        from present in Gen.Elements(Names).ListOf()
        from values in Gen.Elements(Values).ListOf(Names.Length)
        select present.Distinct().ToDictionary(n => n, n => values[Array.IndexOf(Names, n)]);

    [Fact]
    public void Compiled_filter_agrees_with_the_reference_model()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(1000);
        Check.One(config, Prop.ForAll(Gen.Sized(Condition).ToArbitrary(), AnyMessage.ListOf(8).ToArbitrary(), (expression, messages) =>
        {
            string text = expression.Render();
            var filter = Sql92Filter.Compile(text);
            foreach (var message in messages)
            {
                var visible = message.Where(p => p.Value.Length > 0).ToDictionary(p => p.Key, p => p.Value);
                bool expected = expression.Matches(visible);
                bool actual = filter.Matches(JavaSemantics.EncodeProperties(message));
                Assert.True(expected == actual, $"{text} over {string.Join(", ", message.Select(p => $"{p.Key}='{p.Value}'"))}: expected {expected}");
            }
        }));
    }

    [Fact]
    public void Rendered_expressions_parse_back_and_read_only_their_properties()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Gen.Sized(Condition).ToArbitrary(), expression =>
        {
            var filter = Sql92Filter.Compile(expression.Render());
            Assert.All(filter.PropertyNames, name => Assert.Contains(name, Names));
        }));
    }
}
