namespace RaftMq.Chaos.Cli;

/// <summary>Command dispatch of the raftmq-chaos executable.</summary>
public static class ChaosCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        switch (args.FirstOrDefault())
        {
            case "check":
                return CheckCommand.Run(args[1..], stdout, stderr);
            case "run":
                return RunCommand.Run(args[1..], stdout, stderr);
            default:
                stderr.WriteLine("usage: raftmq-chaos check HISTORY [...] | raftmq-chaos run [...]");
                stderr.WriteLine(CheckCommand.Usage);
                stderr.WriteLine(RunCommand.Usage);
                return ExitCodes.Usage;
        }
    }
}
