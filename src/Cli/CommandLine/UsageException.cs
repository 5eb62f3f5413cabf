namespace RaftMq.Cli.CommandLine;

/// <summary>The command line cannot be understood: the message says what is wrong, the caller prints the usage of the
/// command and exits with <see cref="ExitCodes.BadInput"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
