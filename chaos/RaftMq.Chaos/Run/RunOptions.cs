using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Run;

/// <summary>Everything <c>raftmq-chaos run</c> needs; defaults match the README's smoke-sized run.</summary>
public sealed record RunOptions
{
    /// <summary>How to start <c>raftmq</c> (e.g. <c>dotnet src/Cli/bin/Release/net10.0/raftmq.dll</c>).</summary>
    public required RaftMqCommand Command { get; init; }

    /// <summary>Where history.jsonl, report.html, the cluster's files and the process logs go.</summary>
    public required string OutputDirectory { get; init; }

    public int Nodes { get; init; } = 3;

    /// <summary>Nodes laid out but not started, for the membership nemesis to add (0-4).</summary>
    public int Spares { get; init; }

    public FlushDiskType FlushDiskType { get; init; } = FlushDiskType.SyncFlush;

    /// <summary>How long faults are injected; producers then run on through <see cref="FinalHeal"/>.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan FaultWindow { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HealWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>pause-leader's and pause-follower's SIGSTOP length is drawn from [PauseMin, PauseMax].</summary>
    public TimeSpan PauseMin { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PauseMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Names from <see cref="NemesisNames"/>; null = all that apply (power-loss included).</summary>
    public IReadOnlyList<string>? Nemeses { get; init; }

    public ProxyMode CutMode { get; init; } = ProxyMode.Blackhole;

    public int Producers { get; init; } = 4;

    public int Consumers { get; init; } = 2;

    public TimeSpan SendInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public int Seed { get; init; } = 1;

    /// <summary>Extra broker.conf keys for every node (<c>--broker-key KEY=VALUE</c>), e.g. <c>leaderHandOverOnStopMs=0</c>
    /// to measure a rolling restart without the hand-over.</summary>
    public IReadOnlyDictionary<string, string> BrokerKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>--transactions</c>: every payload is sent in a transaction (commit, rollback, or decided only when the broker
    /// checks back); the checker adds committed-missing and rolled-back-delivered and drops the per-key order check.
    /// </summary>
    public bool Transactions { get; init; }

    /// <summary>Broker keys a transactional run sets unless <c>--broker-key</c> does: checks come within seconds, so
    /// "decided at check" transactions resolve during the run instead of after RocketMQ's one-minute default.</summary>
    public static IReadOnlyDictionary<string, string> TransactionBrokerKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["transactionTimeOut"] = "2000",
        ["transactionCheckInterval"] = "3000",
    };

    /// <summary>The broker keys every node gets: <see cref="BrokerKeys"/>, plus <see cref="TransactionBrokerKeys"/> in a transactional run.</summary>
    public IReadOnlyDictionary<string, string> EffectiveBrokerKeys
    {
        get
        {
            if (!Transactions) return BrokerKeys;
            var keys = new Dictionary<string, string>(TransactionBrokerKeys, StringComparer.Ordinal);
            foreach (var (key, value) in BrokerKeys) keys[key] = value;
            return keys;
        }
    }

    /// <summary>Invalid when the Raft term at the end is above the term before the first fault, or a broker process died
    /// and was restarted (for faults that must cost nothing, such as hostile traffic).</summary>
    public bool ExpectNoDisruption { get; init; }

    /// <summary>Invalid when a broker's resident memory after the final heal exceeds its value before the first fault by more than this (0.1 = 10%).</summary>
    public double? MaxRssGrowth { get; init; }

    /// <summary>Writes continue this long after the last fault healed, so every window can show recovery.</summary>
    public TimeSpan FinalHeal { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>After the writes: how long consumers may take to read every acked message.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the group may take to elect a writable leader at start and after the final heal.</summary>
    public TimeSpan LeaderTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string ClusterDirectory => Path.Combine(OutputDirectory, "cluster");

    public string HistoryPath => Path.Combine(OutputDirectory, "history.jsonl");

    public string ReportPath => Path.Combine(OutputDirectory, "report.html");

    public void Validate()
    {
        if (Nodes is not (3 or 5))
        {
            throw new ArgumentException($"--nodes must be 3 or 5, got {Nodes}");
        }

        if (Spares is < 0 or > 4)
        {
            throw new ArgumentException($"--spares must be 0 to 4, got {Spares}");
        }

        if (Producers < 1 || Consumers < 1)
        {
            throw new ArgumentException($"--producers and --consumers must be at least 1, got {Producers} and {Consumers}");
        }

        if (Duration <= TimeSpan.Zero || FaultWindow <= TimeSpan.Zero || LeaderTimeout <= TimeSpan.Zero || HealWindow < TimeSpan.Zero || PauseMin < TimeSpan.Zero || PauseMax < PauseMin)
        {
            throw new ArgumentException("--duration, --fault-window and --leader-timeout must be positive, --heal-window non-negative, and --pause MIN[-MAX] ordered");
        }

        foreach (var name in Nemeses ?? [])
        {
            if (!NemesisNames.Known.Contains(name))
            {
                throw new ArgumentException($"unknown nemesis '{name}'; known: {string.Join(", ", NemesisNames.Known)}");
            }
        }
    }
}
