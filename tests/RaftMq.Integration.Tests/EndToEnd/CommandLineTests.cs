using RaftMq.Cli.CommandLine;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Option parsing of the raftmq verbs through System.CommandLine: what operators type, and the errors they get.</summary>
public sealed class CommandLineTests
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("namesrv", "n", "ADDR", "name server"),
        OptionSpec.Value("count", "c", "N", "count"),
        OptionSpec.Value("phase", null, "DURATION", "phase"),
        OptionSpec.Flag("broadcast", null, "broadcast"),
    ];

    [Theory]
    [InlineData("-n", "a:1")]
    [InlineData("--namesrv", "a:1")]
    [InlineData("--namesrv=a:1", null)]
    [InlineData("-namesrv", "a:1")]
    public async Task Short_long_inline_and_mqadmin_forms_set_the_same_option(string option, string? value)
    {
        var run = await RunProbeAsync(value is null ? [option] : [option, value]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("a:1", run.Args!.Get("namesrv"));
    }

    [Fact]
    public async Task Flag_is_set_by_its_name_alone_and_refuses_a_value()
    {
        Assert.True((await RunProbeAsync(["--broadcast"])).Args!.Has("broadcast"));
        Assert.False((await RunProbeAsync([])).Args!.Has("broadcast"));

        var withValue = await RunProbeAsync(["--broadcast=yes"]);

        Assert.Equal(ExitCodes.BadInput, withValue.ExitCode);
        Assert.Contains("'yes'", withValue.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_option_is_exit_2_naming_it_with_the_nearest_option_and_the_usage()
    {
        var run = await RunProbeAsync(["--namesrvv", "a:1"]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Null(run.Args);
        string first = run.Error.Split('\n')[0];
        Assert.Equal("raftmq grp probe: unknown option '--namesrvv'; did you mean --namesrv?", first.TrimEnd());
        Assert.Contains("usage: raftmq grp probe [options]", run.Error, StringComparison.Ordinal);
        Assert.Contains("-n, --namesrv ADDR", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_value_and_stray_argument_are_usage_errors_naming_them()
    {
        var missing = await RunProbeAsync(["-c"]);
        var stray = await RunProbeAsync(["extra"]);

        Assert.Equal((ExitCodes.BadInput, ExitCodes.BadInput), (missing.ExitCode, stray.ExitCode));
        Assert.Contains("'-c'", missing.Error, StringComparison.Ordinal);
        Assert.Contains("unexpected argument 'extra'", stray.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_starting_with_a_dash_is_taken_as_the_value()
    {
        var run = await RunProbeAsync(["-c", "-5"]);

        Assert.Equal("-5", run.Args!.Get("count"));
    }

    [Fact]
    public async Task Typed_getters_reject_values_out_of_range_naming_option_and_value()
    {
        var args = (await RunProbeAsync(["-c", "0", "--phase", "soon"])).Args!;

        var count = Assert.Throws<UsageException>(() => args.GetInt("count", 10, min: 1));
        var phase = Assert.Throws<UsageException>(() => args.GetDuration("phase", TimeSpan.FromSeconds(3)));

        Assert.Contains("--count = '0'", count.Message, StringComparison.Ordinal);
        Assert.Contains("--phase = 'soon'", phase.Message, StringComparison.Ordinal);
        Assert.Equal(10, (await RunProbeAsync([])).Args!.GetInt("count", 10));
    }

    [Fact]
    public async Task Usage_error_raised_by_the_verb_is_exit_2_with_its_usage()
    {
        var run = await RunProbeAsync(["--count", "x"], verb: args => args.GetInt("count", 1));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("raftmq grp probe: option --count = 'x'", run.Error, StringComparison.Ordinal);
        Assert.Contains("usage: raftmq grp probe", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_file_supplies_options_and_later_options_override_it()
    {
        using var folder = new TestDirectory("rsp");
        string file = Path.Combine(folder.Path, "opts.rsp");
        await File.WriteAllLinesAsync(file, ["# the test cluster", "-n 10.0.0.1:9876", "--count 5 --broadcast"]);

        var fromFile = await RunProbeAsync(["@" + file]);
        var overridden = await RunProbeAsync(["@" + file, "-c", "7"]);
        var missing = await RunProbeAsync(["@" + Path.Combine(folder.Path, "none.rsp")]);

        Assert.Equal(("10.0.0.1:9876", "5", true), (fromFile.Args!.Get("namesrv"), fromFile.Args.Get("count"), fromFile.Args.Has("broadcast")));
        Assert.Equal("7", overridden.Args!.Get("count"));
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("unexpected argument '@" + Path.Combine(folder.Path, "none.rsp") + "'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_starting_with_at_that_names_no_file_is_taken_as_typed()
    {
        var run = await RunProbeAsync(["-n", "@everyone"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("@everyone", run.Args!.Get("namesrv"));
    }

    [Fact]
    public async Task Verb_names_are_case_insensitive_and_help_works_as_a_word()
    {
        var upper = await RunAppAsync("ADMIN", "TOPICLIST", "--help");
        var word = await RunAppAsync("admin", "help");
        var root = await RunAppAsync("help");

        Assert.Equal((0, 0, 0), (upper.ExitCode, word.ExitCode, root.ExitCode));
        Assert.StartsWith("usage: raftmq admin topicList", upper.Output, StringComparison.Ordinal);
        Assert.StartsWith("usage: raftmq admin <command> [options]", word.Output, StringComparison.Ordinal);
        Assert.StartsWith("usage: raftmq <command> [options]", root.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Misspelt_verb_is_exit_2_suggesting_the_nearest_verb()
    {
        var admin = await RunAppAsync("admin", "topcList");
        var top = await RunAppAsync("quikstart");

        Assert.Equal((2, 2), (admin.ExitCode, top.ExitCode));
        Assert.StartsWith("raftmq admin: unknown command 'topcList'; did you mean topicList?", admin.Error, StringComparison.Ordinal);
        Assert.StartsWith("raftmq: unknown command 'quikstart'; did you mean quickstart?", top.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_verb_far_from_every_name_prints_the_usage_without_a_guess()
    {
        var run = await RunAppAsync("frobnicate");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("raftmq: unknown command 'frobnicate'" + Environment.NewLine, run.Error, StringComparison.Ordinal);
        Assert.Contains("usage: raftmq <command> [options]", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_without_a_verb_prints_its_verbs_on_stderr_with_exit_2_and_on_stdout_with_help()
    {
        var bare = await RunAppAsync("bench");
        var help = await RunAppAsync("bench", "-h");

        Assert.Equal((2, 0), (bare.ExitCode, help.ExitCode));
        Assert.Equal(bare.Error, help.Output);
        Assert.Contains("usage: raftmq bench <command> [options]", help.Output, StringComparison.Ordinal);
        Assert.Contains("  produce ", help.Output, StringComparison.Ordinal);
        Assert.Contains("run 'raftmq bench <command> --help' for its options", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_verb_prints_its_help_with_log_dir_and_help_options()
    {
        var groups = new[] { "admin", "bench" };
        var paths = VerbNames((await RunAppAsync("--help")).Output).Where(name => !groups.Contains(name)).Select(name => new[] { name }).ToList();
        foreach (string group in groups)
        {
            paths.AddRange(VerbNames((await RunAppAsync(group, "--help")).Output).Select(name => new[] { group, name }));
        }

        Assert.True(paths.Count > 50, $"{paths.Count} verbs found");
        foreach (var path in paths)
        {
            var run = await RunAppAsync([.. path, "--help"]);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', path)}: {run.Error}");
            Assert.StartsWith($"usage: raftmq {string.Join(' ', path)}", run.Output, StringComparison.Ordinal);
            Assert.Contains("-l, --log-dir DIR", run.Output, StringComparison.Ordinal);
            Assert.Contains("-h, --help", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Suggest_directive_lists_the_verbs_and_options_that_complete_the_word()
    {
        var verbs = await SuggestAsync("raftmq admin to");
        var options = await SuggestAsync("raftmq admin topicStatus --to");

        Assert.Equal(0, verbs.ExitCode);
        Assert.Contains("topicList", verbs.Output.Split('\n').Select(line => line.Trim()));
        Assert.Contains("topicStatus", verbs.Output.Split('\n').Select(line => line.Trim()));
        Assert.Contains("--topic", options.Output.Split('\n').Select(line => line.Trim()));
    }

    [Fact]
    public async Task Completion_verb_prints_a_bash_script_that_asks_the_suggest_directive()
    {
        var run = await RunAppAsync("completion");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"[suggest:${COMP_POINT}]\" \"${COMP_LINE}\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _raftmq_complete raftmq", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_commands_doc_has_a_row_for_every_admin_verb_and_no_other()
    {
        var verbs = VerbNames((await RunAppAsync("admin", "--help")).Output);
        string doc = await File.ReadAllTextAsync(Path.Combine(CliPiecesTests.RepositoryRoot(), "docs", "operations", "admin-commands.md"));
        var rows = System.Text.RegularExpressions.Regex.Matches(doc, @"^\| `([A-Za-z]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => match.Groups[1].Value).ToList();

        Assert.Equal(verbs.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
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

    /// <summary>The names under "commands:" of a usage text.</summary>
    private static List<string> VerbNames(string usage) => usage.Split('\n').Select(line => line.Trim().Split(' ')[0])
        .SkipWhile(name => name != "commands:").Skip(1).TakeWhile(name => name.Length > 0 && name != "run").ToList();

    private static async Task<(int ExitCode, string Output, string Error)> RunAppAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await RaftMq.Cli.Program.CreateApp().RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>What bash's completion function asks: the line so far, the cursor at its end.</summary>
    private static Task<(int ExitCode, string Output, string Error)> SuggestAsync(string line) =>
        RunAppAsync($"[suggest:{line.Length}]", line);

    private static async Task<ProbeRun> RunProbeAsync(string[] args, Action<ParsedArgs>? verb = null)
    {
        var probe = new ProbeCommand(verb);
        var app = new CliApp([], [new CommandGroup("grp", "a group", [probe])]);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await app.RunAsync(["grp", "probe", .. args], output, error);
        return new ProbeRun(exitCode, probe.Received, error.ToString());
    }

    private sealed record ProbeRun(int ExitCode, ParsedArgs? Args, string Error);

    /// <summary>A verb with the options above that keeps what it was given.</summary>
    private sealed class ProbeCommand(Action<ParsedArgs>? check) : Command
    {
        public ParsedArgs? Received { get; private set; }

        public override string Name => "probe";

        public override string Summary => "records its options";

        protected override IReadOnlyList<OptionSpec> VerbOptions => Specs;

        public override Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
        {
            Received = args;
            check?.Invoke(args);
            return Task.FromResult(ExitCodes.Success);
        }
    }
}
