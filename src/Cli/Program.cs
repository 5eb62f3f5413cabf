using RaftMq.Cli.Bench;
using RaftMq.Cli.Commands;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int exitCode = await CreateApp().RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        NLog.LogManager.Shutdown();
        return exitCode;
    }

    /// <summary>Every verb of the executable.</summary>
    public static CliApp CreateApp() => new(
        [
            new NameServerCommand(),
        ],
        [
            new CommandGroup("bench", "load and micro benchmarks", [new MicroBenchCommand()]),
        ]);
}
