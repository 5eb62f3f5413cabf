using System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Runs a parsed verb and turns what it throws into one line and an exit code: bad options print the verb's usage
/// (exit 2), configuration errors name key, value and file (exit 2), Ctrl-C is exit 130, an unreachable or refusing
/// cluster exit 1, and anything else is a bug printed with its stack trace (exit 1).
/// </summary>
internal sealed class VerbRunner(string workingDirectory)
{
    public async Task<int> RunAsync(VerbCommand verb, ParseResult result, CancellationToken stopping)
    {
        var context = new CommandContext(result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, workingDirectory, stopping);
        string prefix = CommandTree.PathOf(verb);
        try
        {
            return await verb.Verb.ExecuteAsync(verb.ArgsOf(result), context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"{prefix}: {e.Message}").ConfigureAwait(false);
            await context.Error.WriteAsync(HelpText.For(verb)).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (ConfigErrors.TryDescribe(e, out string message))
        {
            await context.Error.WriteLineAsync($"{prefix}: configuration error: {message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"{prefix}: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (RuntimeErrors.IsExpected(e))
        {
            await context.Error.WriteLineAsync($"{prefix}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Not a failure of the environment but of raftmq itself: the stack trace is what a bug report needs.
            await context.Error.WriteLineAsync($"{prefix}: unexpected error: {e}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
