using RaftMq.Cli.Bench;
using RaftMq.Cli.Commands;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var app = new CliApp(
            [
                new NameServerCommand(),
            ],
            [
                new CommandGroup("bench", "load and micro benchmarks", [new MicroBenchCommand()]),
            ]);
        int exitCode = await app.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        NLog.LogManager.Shutdown();
        return exitCode;
    }
}
