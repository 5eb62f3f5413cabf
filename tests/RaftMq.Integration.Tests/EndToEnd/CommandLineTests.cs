using RaftMq.Cli.CommandLine;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Option parsing of the raftmq verbs: what operators type, and the errors they get.</summary>
public sealed class CommandLineTests
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("namesrv", "n", "ADDR", "name server"),
        OptionSpec.Value("count", "c", "N", "count"),
        OptionSpec.Value("phase", null, "DURATION", "phase"),
        OptionSpec.Flag("broadcast", null, "broadcast"),
    ];

    [Fact]
    public void Short_long_and_inline_forms_set_the_same_option()
    {
        Assert.Equal("a:1", ParsedArgs.Parse(["-n", "a:1"], Specs).Get("namesrv"));
        Assert.Equal("a:1", ParsedArgs.Parse(["--namesrv", "a:1"], Specs).Get("namesrv"));
        Assert.Equal("a:1", ParsedArgs.Parse(["--namesrv=a:1"], Specs).Get("namesrv"));
        Assert.True(ParsedArgs.Parse(["--broadcast"], Specs).Has("broadcast"));
    }

    [Fact]
    public void Unknown_option_missing_value_and_stray_argument_are_usage_errors_naming_them()
    {
        Assert.Contains("'--nope'", Assert.Throws<UsageException>(() => ParsedArgs.Parse(["--nope"], Specs)).Message, StringComparison.Ordinal);
        Assert.Contains("--count", Assert.Throws<UsageException>(() => ParsedArgs.Parse(["-c"], Specs)).Message, StringComparison.Ordinal);
        Assert.Contains("'extra'", Assert.Throws<UsageException>(() => ParsedArgs.Parse(["extra"], Specs)).Message, StringComparison.Ordinal);
        Assert.Contains("takes no value", Assert.Throws<UsageException>(() => ParsedArgs.Parse(["--broadcast=yes"], Specs)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_getters_reject_values_out_of_range_naming_option_and_value()
    {
        var args = ParsedArgs.Parse(["-c", "0", "--phase", "soon"], Specs);

        var count = Assert.Throws<UsageException>(() => args.GetInt("count", 10, min: 1));
        var phase = Assert.Throws<UsageException>(() => args.GetDuration("phase", TimeSpan.FromSeconds(3)));

        Assert.Contains("--count = '0'", count.Message, StringComparison.Ordinal);
        Assert.Contains("--phase = 'soon'", phase.Message, StringComparison.Ordinal);
        Assert.Equal(10, ParsedArgs.Parse([], Specs).GetInt("count", 10));
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("3s", 3000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1500)]
    public void Durations_accept_the_units_operators_type(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task Unknown_verb_prints_the_usage_and_exits_with_2()
    {
        var app = RaftMq.Cli.Program.CreateApp();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await app.RunAsync(["frobnicate"], output, error);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("unknown command 'frobnicate'", error.ToString(), StringComparison.Ordinal);
    }
}
