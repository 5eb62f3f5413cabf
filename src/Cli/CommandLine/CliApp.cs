using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Runs <c>raftmq VERB [SUBVERB] [options]</c>: System.CommandLine parses (response files, <c>[suggest]</c> completion,
/// <c>--help</c>), a parse error becomes one line per problem plus usage with exit code 2, and the verb runs under one
/// Ctrl-C/SIGTERM token (the first signal asks for a graceful stop, a second one terminates at once).
/// </summary>
public sealed class CliApp
{
    private readonly RootCommand _root;

    public CliApp(IReadOnlyList<Command> commands, IReadOnlyList<CommandGroup> groups)
    {
        _root = CommandTree.Build(commands, groups, new VerbRunner(Environment.CurrentDirectory));
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = _root.Parse(ArgumentNormalizer.Normalize(args, _root), ParserSettings());
        if (parsed.Action is ParseErrorAction) return ParseErrors.Report(parsed, error);

        using var stopping = new CancellationTokenSource();
        using var signals = RegisterStopSignals(stopping);
        var invocation = new InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, stopping.Token).ConfigureAwait(false);
    }

    private static ParserConfiguration ParserSettings()
    {
        var settings = new ParserConfiguration();
        var readResponseFile = settings.ResponseFileTokenReplacer!;
        // No -abc bundles: mqadmin never had them, and a word such as -tag must not split into -t -a -g.
        settings.EnablePosixBundling = false;
        // @FILE reads options from an existing file; any other word starting with @ stays as typed (a body, a tag).
        settings.ResponseFileTokenReplacer = (string path, out IReadOnlyList<string>? tokens, out string? error) =>
        {
            if (File.Exists(path)) return readResponseFile(path, out tokens, out error);
            (tokens, error) = (null, null);
            return false;
        };
        return settings;
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
