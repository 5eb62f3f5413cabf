namespace RaftMq.Cli.CommandLine;

/// <summary>Process exit codes of every raftmq verb.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The verb ran and failed (a server stopped on an error, quickstart lost an acknowledged message,
    /// a request was refused).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or bad configuration: nothing was started.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
