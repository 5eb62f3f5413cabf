using RaftMq.Chaos.Cli;

namespace RaftMq.Chaos;

public static class Program
{
    public static int Main(string[] args) => ChaosCli.Run(args, Console.Out, Console.Error);
}
