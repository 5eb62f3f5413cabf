namespace RaftMq.Chaos.Cli;

/// <summary>Process exit codes of raftmq-chaos.</summary>
public static class ExitCodes
{
    /// <summary>The history has no safety anomaly.</summary>
    public const int Valid = 0;

    /// <summary>At least one safety anomaly: lost, unseen after a full drain, unexplained duplicate, ...</summary>
    public const int Invalid = 1;

    /// <summary>Bad command line, unreadable history, or a command that is not available in this build.</summary>
    public const int Usage = 2;

    /// <summary><c>run</c> could not bring the cluster up (no leader, a process died at start): no verdict.</summary>
    public const int RunFailed = 3;
}
