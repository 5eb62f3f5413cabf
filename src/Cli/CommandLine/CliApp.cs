using System.Runtime.InteropServices;
using System.Text;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Dispatches <c>raftmq VERB [SUBVERB] [options]</c> to a <see cref="Command"/>, owns Ctrl-C/SIGTERM handling (one
/// token for every verb: the first signal asks for a graceful stop, a second one terminates at once) and turns bad
/// input into one clear line plus usage with exit code 2.
/// </summary>
public sealed class CliApp(IReadOnlyList<Command> commands, IReadOnlyList<CommandGroup> groups)
{
    private const string Prefix = "raftmq";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            await error.WriteAsync(Usage()).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        if (args[0] is "-h" or "--help" or "help")
        {
            await output.WriteAsync(Usage()).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        using var stopping = new CancellationTokenSource();
        using var signals = RegisterStopSignals(stopping);
        var context = new CommandContext(output, error, Environment.CurrentDirectory, stopping.Token);
        var group = groups.FirstOrDefault(candidate => string.Equals(candidate.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (group is not null) return await RunGroupAsync(group, args.Skip(1).ToArray(), context).ConfigureAwait(false);

        var command = commands.FirstOrDefault(candidate => string.Equals(candidate.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            await error.WriteLineAsync($"{Prefix}: unknown command '{args[0]}'").ConfigureAwait(false);
            await error.WriteAsync(Usage()).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        return await RunCommandAsync(command, Prefix, args.Skip(1).ToArray(), context).ConfigureAwait(false);
    }

    public string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine($"usage: {Prefix} <command> [options]");
        text.AppendLine("commands:");
        var rows = commands.Select(command => (command.Name, command.Summary))
            .Concat(groups.Select(group => (Name: group.Name + " ...", group.Summary))).ToList();
        int width = rows.Select(row => row.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (name, summary) in rows) text.Append("  ").Append(name.PadRight(width)).AppendLine(summary);
        text.AppendLine($"run '{Prefix} <command> --help' for its options");
        return text.ToString();
    }

    private static async Task<int> RunGroupAsync(CommandGroup group, string[] args, CommandContext context)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            var writer = args.Length == 0 ? context.Error : context.Out;
            await writer.WriteAsync(group.Usage(Prefix)).ConfigureAwait(false);
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
        }
        var command = group.Find(args[0]);
        if (command is null)
        {
            await context.Error.WriteLineAsync($"{Prefix} {group.Name}: unknown command '{args[0]}'").ConfigureAwait(false);
            await context.Error.WriteAsync(group.Usage(Prefix)).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        return await RunCommandAsync(command, $"{Prefix} {group.Name}", args[1..], context).ConfigureAwait(false);
    }

    private static async Task<int> RunCommandAsync(Command command, string prefix, string[] args, CommandContext context)
    {
        try
        {
            var parsed = command.Parse(args);
            if (parsed.Has(Command.HelpOption.Name))
            {
                await context.Out.WriteAsync(command.Usage(prefix)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            return await command.ExecuteAsync(parsed, context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"{prefix} {command.Name}: {e.Message}").ConfigureAwait(false);
            await context.Error.WriteAsync(command.Usage(prefix)).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (ConfigErrors.TryDescribe(e, out string message))
        {
            await context.Error.WriteLineAsync($"{prefix} {command.Name}: configuration error: {message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (context.Stopping.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"{prefix} {command.Name}: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (RuntimeErrors.IsExpected(e))
        {
            await context.Error.WriteLineAsync($"{prefix} {command.Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Not a failure of the environment but of raftmq itself: the stack trace is what a bug report needs.
            await context.Error.WriteLineAsync($"{prefix} {command.Name}: unexpected error: {e}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static CompositeDisposable RegisterStopSignals(CancellationTokenSource stopping)
    {
        void OnSignal(PosixSignalContext signal)
        {
            // The first signal asks for a graceful stop; a second one while stopping gets the default action.
            if (stopping.IsCancellationRequested) return;
            signal.Cancel = true;
            stopping.Cancel();
        }
        return new CompositeDisposable(
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    private sealed class CompositeDisposable(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts) part.Dispose();
        }
    }
}
