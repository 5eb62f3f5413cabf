using System.Net.Sockets;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Failures a verb reports in one line (exit code 1): the cluster is unreachable or refused the request, a wait ran
/// past its deadline, a port or file is unavailable. Anything else is a bug and is printed with its stack trace.
/// </summary>
public static class RuntimeErrors
{
    public static bool IsExpected(Exception exception) => exception is MQException or RemotingException or LocalClusterException
        or DeadlineExceededException or IOException or SocketException or UnauthorizedAccessException;
}
