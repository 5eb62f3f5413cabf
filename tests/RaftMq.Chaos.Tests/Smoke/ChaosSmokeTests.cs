using Microsoft.Extensions.Logging;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Run;

namespace RaftMq.Chaos.Tests.Smoke;

/// <summary>
/// The CI chaos smoke: a real name server and 3-node group of <c>raftmq</c> processes, four producers and two
/// consumers, and one window each of kill-leader, pause-leader (5 s SIGSTOP) and partition-leader (seed 16 draws
/// them in that order). About two minutes. Asserts safety (the checker's verdict) and liveness only as "some send
/// succeeded after every fault healed" — no timing assertions. The run's history, report and process logs stay in
/// artifacts/chaos-smoke/ when it fails.
/// </summary>
[Trait("Category", "ChaosSmoke")]
public sealed class ChaosSmokeTests
{
    [Fact]
    public async Task ChaosSmoke_kill_pause_and_partition_of_the_leader_lose_nothing_and_the_group_recovers_after_each()
    {
        var (raftmq, output) = Locate("chaos-smoke");
        var options = new RunOptions
        {
            Command = RaftMqLocator.CommandFor(raftmq),
            OutputDirectory = output,
            Nodes = 3,
            Duration = TimeSpan.FromSeconds(60),
            HealWindow = TimeSpan.FromSeconds(10),
            FaultWindow = TimeSpan.FromSeconds(10),
            PauseMin = TimeSpan.FromSeconds(5),
            PauseMax = TimeSpan.FromSeconds(5),
            Nemeses = [NemesisNames.KillLeader, NemesisNames.PauseLeader, NemesisNames.PartitionLeader],
            Seed = 16,
            FinalHeal = TimeSpan.FromSeconds(15),
            DrainTimeout = TimeSpan.FromSeconds(90),
        };
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var outcome = await ChaosRun.ExecuteAsync(options, loggers, deadline.Token);

        var result = outcome.Result;
        var where = $"{result.Summary()}\nhistory, report and process logs: {output}";
        Assert.True(result.IsValid, $"safety anomalies: {Describe(result)}\n{where}");
        var windows = FaultWindow.FromOps(outcome.Ops);
        Assert.True(windows.Count >= 3, $"expected three fault windows, got {windows.Count}\n{where}");
        var okSends = outcome.Ops.OfType<SendOp>().Where(s => s.Outcome == SendOutcome.Acknowledged).ToList();
        foreach (var window in windows)
        {
            Assert.True(window.StopUs is not null, $"fault window {window.Id} ({window.Name}) was never healed\n{where}");
            Assert.True(okSends.Any(s => s.InvokeUs >= window.StopUs),
                $"no send succeeded after fault window {window.Id} ({window.Name}) healed\n{where}");
        }

        Directory.Delete(options.ClusterDirectory, recursive: true);
    }

    /// <summary>
    /// The transactional smoke: every payload in a transaction (commit, rollback, or decided at the broker's check),
    /// one kill-leader and one partition-leader window (seed 3). About 90 seconds. Asserts the checker's verdict, which
    /// includes committed-missing and rolled-back-delivered, and that transactions of every plan were acked and that
    /// check-decided commits were read (so checks really ran).
    /// </summary>
    [Fact]
    public async Task ChaosSmoke_transactions_through_leader_kill_and_partition_commit_once_and_never_show_a_rollback()
    {
        var (raftmq, output) = Locate("chaos-smoke-tx");
        var options = new RunOptions
        {
            Command = RaftMqLocator.CommandFor(raftmq),
            OutputDirectory = output,
            Nodes = 3,
            Duration = TimeSpan.FromSeconds(30),
            HealWindow = TimeSpan.FromSeconds(5),
            FaultWindow = TimeSpan.FromSeconds(8),
            Nemeses = [NemesisNames.KillLeader, NemesisNames.PartitionLeader],
            Seed = 3,
            Transactions = true,
            FinalHeal = TimeSpan.FromSeconds(10),
            DrainTimeout = TimeSpan.FromSeconds(90),
        };
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var outcome = await ChaosRun.ExecuteAsync(options, loggers, deadline.Token);

        var result = outcome.Result;
        var where = $"{result.Summary()}\nhistory, report and process logs: {output}";
        Assert.True(result.IsValid, $"safety anomalies: {Describe(result)}\n{where}");
        Assert.True(result.Options.FullDrain, $"the drain did not read every committed transaction\n{where}");
        var sends = outcome.Ops.OfType<SendOp>().ToList();
        var receivedPayloads = outcome.Ops.OfType<ReceiveOp>().Select(r => r.PayloadId).ToHashSet();
        foreach (var plan in new[] { "commit", "rollback", "check-commit", "check-rollback" })
        {
            Assert.True(sends.Any(s => s.Transaction == plan && s.Outcome == SendOutcome.Acknowledged), $"no acked '{plan}' transaction\n{where}");
        }

        Assert.Contains(sends, s => s.Transaction == "check-commit" && receivedPayloads.Contains(s.PayloadId));
        Directory.Delete(options.ClusterDirectory, recursive: true);
    }

    /// <summary>
    /// The hostile smoke: one 20 s window of hostile clients against every broker, Raft and name server port (random
    /// and malformed frames, oversized and slow frames, idle floods, poison sends, forged registrations and peers)
    /// while the workload runs. Nothing acked may be lost and no broker process may die; the footprint lines say
    /// whether the term or memory moved (the 10-minute run in docs/operations/hostile-input.md judges those).
    /// </summary>
    [Fact]
    public async Task ChaosSmoke_hostile_traffic_on_every_port_loses_nothing_and_kills_no_broker()
    {
        var (raftmq, output) = Locate("chaos-smoke-hostile");
        var options = new RunOptions
        {
            Command = RaftMqLocator.CommandFor(raftmq),
            OutputDirectory = output,
            Nodes = 3,
            Duration = TimeSpan.FromSeconds(20),
            HealWindow = TimeSpan.FromSeconds(8),
            FaultWindow = TimeSpan.FromSeconds(20),
            Nemeses = [NemesisNames.HostileTraffic],
            Seed = 5,
            Producers = 2,
            Consumers = 1,
            FinalHeal = TimeSpan.FromSeconds(5),
            DrainTimeout = TimeSpan.FromSeconds(90),
        };
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));

        var outcome = await ChaosRun.ExecuteAsync(options, loggers, deadline.Token);

        var result = outcome.Result;
        var footprint = outcome.Footprint;
        Assert.NotNull(footprint);
        var where = $"{result.Summary()}\n{string.Join("\n", footprint.Lines())}\nhistory, report and process logs: {output}";
        Assert.True(result.IsValid, $"safety anomalies: {Describe(result)}\n{where}");
        Assert.True(result.Options.FullDrain, $"the drain did not read every acked message\n{where}");
        Assert.Single(FaultWindow.FromOps(outcome.Ops));
        Assert.All(footprint.After.Nodes, node => Assert.True(node.Starts == 1, $"{node.Node}'s broker died under hostile traffic\n{where}"));
        Assert.Contains(outcome.Ops.OfType<SendOp>(), s => s.Outcome == SendOutcome.Acknowledged);
        Directory.Delete(options.ClusterDirectory, recursive: true);
    }

    /// <summary>
    /// The membership smoke: two spare nodes, and membership windows only (seed 5: a spare joins and the leader leaves,
    /// then a replacement while a member is partitioned away). About 90 seconds. Asserts the checker's verdict, that
    /// changes were made (a join promoted to voter and a removal in some window), and that the group ends with three
    /// voters, all of them running.
    /// </summary>
    [Fact]
    public async Task ChaosSmoke_membership_changes_during_partitions_lose_nothing_and_leave_a_whole_group()
    {
        var (raftmq, output) = Locate("chaos-smoke-membership");
        var options = new RunOptions
        {
            Command = RaftMqLocator.CommandFor(raftmq),
            OutputDirectory = output,
            Nodes = 3,
            Spares = 2,
            Duration = TimeSpan.FromSeconds(35),
            HealWindow = TimeSpan.FromSeconds(5),
            FaultWindow = TimeSpan.FromSeconds(8),
            Nemeses = [NemesisNames.Membership],
            Seed = 5,
            Producers = 2,
            FinalHeal = TimeSpan.FromSeconds(10),
            DrainTimeout = TimeSpan.FromSeconds(90),
        };
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var outcome = await ChaosRun.ExecuteAsync(options, loggers, deadline.Token);

        var result = outcome.Result;
        var where = $"{result.Summary()}\nhistory, report and process logs: {output}";
        Assert.True(result.IsValid, $"safety anomalies: {Describe(result)}\n{where}");
        Assert.True(result.Options.FullDrain, $"the drain did not read every acked message\n{where}");
        var changes = outcome.Ops.OfType<FaultOp>().Where(f => f.Name == NemesisNames.Membership && f.Phase == FaultPhase.Start)
            .Select(f => f.Detail ?? "").ToList();
        Assert.True(changes.Any(d => d.Contains(" voter", StringComparison.Ordinal) && d.Contains("; -n", StringComparison.Ordinal)),
            $"no window both promoted a joining node and removed one: {string.Join(" | ", changes)}\n{where}");
        var final = outcome.Ops.OfType<NoteOp>().Select(n => n.Text).FirstOrDefault(t => t.StartsWith("membership after the final heal", StringComparison.Ordinal));
        Assert.True(final is not null && System.Text.RegularExpressions.Regex.IsMatch(final, @"voters n\d,n\d,n\d;"), $"the group did not end with three voters: {final}\n{where}");
        Directory.Delete(options.ClusterDirectory, recursive: true);
    }

    private static (string Raftmq, string Output) Locate(string artifacts)
    {
        var repository = RaftMqLocator.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no {RaftMqLocator.SolutionFile} above {AppContext.BaseDirectory}");
        var raftmq = RaftMqLocator.FindBuiltDll(repository);
        Assert.True(raftmq is not null,
            $"the chaos smoke needs a built raftmq: none of {string.Join(", ", RaftMqLocator.Candidates(repository))} exists; " +
            "run 'dotnet build src/Cli -c Release' first");
        return (raftmq!, Path.Combine(repository, "artifacts", artifacts, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff")));
    }

    private static string Describe(CheckResult result) => string.Join("; ", result.Anomalies
        .Where(g => g.FailsRun && g.Count > 0)
        .Select(g => $"{g.Kind} x{g.Count}: {string.Join(" | ", g.Examples.Take(3))}"));
}
