using RaftMq.Foundation.Configuration;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Recognises configuration errors (a bad key in a conf file, options that fail validation) wherever they surface,
/// also wrapped by the host or a task, so that they are reported as one line naming key, value and file, with exit
/// code <see cref="ExitCodes.BadInput"/> and no stack trace.
/// </summary>
public static class ConfigErrors
{
    public static bool TryDescribe(Exception exception, out string message)
    {
        for (var current = exception; current is not null; current = Next(current))
        {
            if (IsConfigError(current))
            {
                message = current.Message;
                return true;
            }
        }
        message = "";
        return false;
    }

    private static bool IsConfigError(Exception exception) => exception is ConfigException or CliConfigException
        || exception.GetType().Name.EndsWith("ConfigException", StringComparison.Ordinal);

    private static Exception? Next(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
}

/// <summary>A configuration problem the CLI itself finds (missing file, a sample conf without a needed key).</summary>
public sealed class CliConfigException(string message, Exception? inner = null) : Exception(message, inner);
