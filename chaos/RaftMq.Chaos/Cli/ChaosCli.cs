namespace RaftMq.Chaos.Cli;

/// <summary>Command dispatch of the raftmq-chaos executable.</summary>
public static class ChaosCli
{
    public const string RunNotWired =
        "raftmq-chaos run: needs the RaftMq client; not wired yet. The harness pieces (cluster layout, "
        + "process supervisor, fault proxies, nemesis scheduler, workload, checker, report) are in place; "
        + "an IQueueClient and an ILeaderProbe over RaftMq.Client must be plugged in first (see chaos/README.md).";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        switch (args.FirstOrDefault())
        {
            case "check":
                return CheckCommand.Run(args[1..], stdout, stderr);
            case "run":
                stderr.WriteLine(RunNotWired);
                return ExitCodes.Usage;
            default:
                stderr.WriteLine("usage: raftmq-chaos check HISTORY [...] | raftmq-chaos run [...]");
                stderr.WriteLine(CheckCommand.Usage);
                return ExitCodes.Usage;
        }
    }
}
