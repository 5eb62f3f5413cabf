using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Bench;

/// <summary><c>raftmq bench raft</c>: the consensus layer's own benchmark (<see cref="RaftBench"/>): fsync rate, log
/// group commit, 3-node loopback commit throughput and latency.</summary>
public sealed class RaftBenchCommand : Command
{
    private static readonly OptionSpec DirOption = OptionSpec.Value("dir", null, "PATH", "scratch folder on the disk to measure (default: the temp folder)");
    private static readonly OptionSpec SecondsOption = OptionSpec.Value("seconds", null, "N", "seconds per measurement (default 3)");

    public override string Name => "raft";

    public override string Summary => "consensus benchmark: fsync rate, log group commit, 3-node loopback commit";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [DirOption, SecondsOption];

    public override Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var forwarded = new List<string>();
        if (args.Get(DirOption.Name) is { } dir) forwarded.AddRange(["--dir", context.ResolvePath(dir)]);
        if (args.Get(SecondsOption.Name) is { } seconds) forwarded.AddRange(["--seconds", seconds]);
        return RaftBench.RunAsync([.. forwarded]);
    }
}
