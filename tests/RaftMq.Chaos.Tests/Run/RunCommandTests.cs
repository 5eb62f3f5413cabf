using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Cli;
using RaftMq.Chaos.Network;
using RaftMq.Chaos.Run;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Run;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RunCommandTests() => File.WriteAllText(_dir.File("raftmq.dll"), "stand-in");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_option_reaches_the_run_options()
    {
        var options = RunCommand.Parse(
        [
            "--raftmq", "raftmq.dll", "--nodes", "5", "--duration", "30m", "--fault-window", "15s", "--heal-window", "20s",
            "--pause", "5s", "--nemeses", "kill-leader, ring", "--flush", "ASYNC_FLUSH", "--producers", "6", "--consumers", "3",
            "--seed", "42", "--cut", "refuse", "--final-heal", "1m", "--drain-timeout", "2m", "--send-interval", "20ms", "--leader-timeout", "45s", "--out", "runs/a",
        ], _dir.Path);

        Assert.Equal("dotnet", options.Command.FileName);
        Assert.Equal([_dir.File("raftmq.dll")], options.Command.PrefixArguments);
        Assert.Equal(5, options.Nodes);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(15), options.FaultWindow);
        Assert.Equal(TimeSpan.FromSeconds(20), options.HealWindow);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), (options.PauseMin, options.PauseMax));
        Assert.Equal(["kill-leader", "ring"], options.Nemeses!);
        Assert.Equal(FlushDiskType.AsyncFlush, options.FlushDiskType);
        Assert.Equal((6, 3, 42), (options.Producers, options.Consumers, options.Seed));
        Assert.Equal(ProxyMode.Refuse, options.CutMode);
        Assert.Equal(TimeSpan.FromMinutes(1), options.FinalHeal);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DrainTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.SendInterval);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LeaderTimeout);
        Assert.Equal(Path.Combine(_dir.Path, "runs", "a"), options.OutputDirectory);
        Assert.Equal(Path.Combine(_dir.Path, "runs", "a", "history.jsonl"), options.HistoryPath);
    }

    [Fact]
    public void All_nemeses_means_every_one_that_applies()
    {
        var options = RunCommand.Parse(["--raftmq", "raftmq.dll", "--nemeses", "all"], _dir.Path);

        Assert.Null(options.Nemeses);
        Assert.StartsWith(Path.Combine(_dir.Path, "artifacts", "chaos"), options.OutputDirectory);
    }

    [Fact]
    public void An_apphost_runs_directly()
    {
        File.WriteAllText(_dir.File("raftmq"), "#!/bin/sh");

        var options = RunCommand.Parse(["--raftmq", "raftmq"], _dir.Path);

        Assert.Equal(_dir.File("raftmq"), options.Command.FileName);
        Assert.Empty(options.Command.PrefixArguments);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("90", 90)]
    [InlineData("1.5m", 90)]
    [InlineData("2h", 7200)]
    public void Durations_take_a_unit(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("10 parsecs")]
    [InlineData("-5s")]
    public void Nonsense_durations_are_refused(string text) =>
        Assert.Throws<ArgumentException>(() => DurationText.Parse(text));

    [Fact]
    public void The_workload_budget_outlasts_the_longest_possible_run()
    {
        var options = RunCommand.Parse(["--raftmq", "raftmq.dll", "--duration", "10m", "--producers", "4"], _dir.Path);

        var workload = ChaosRun.WorkloadOptions(options);

        Assert.True(workload.Duration > options.Duration + options.FaultWindow + options.PauseMax + options.FinalHeal);
        Assert.True(workload.MaxMessages > 4 * 20 * 600);
    }

    [Fact]
    public void The_built_raftmq_is_found_from_anywhere_inside_the_repository()
    {
        var repo = _dir.File("repo");
        var dll = Path.Combine(repo, "src", "Cli", "bin", "Debug", "net10.0", "raftmq.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllText(Path.Combine(repo, RaftMqLocator.SolutionFile), "");
        File.WriteAllText(dll, "stand-in");
        var deep = Directory.CreateDirectory(Path.Combine(repo, "tests", "x", "bin")).FullName;

        Assert.Equal(dll, RaftMqLocator.FindBuiltDll(deep));
        Assert.Null(RaftMqLocator.FindBuiltDll(_dir.Path));
    }
}
