using Microsoft.Extensions.Logging;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer;

/// <summary>Maps the remoting layer's diagnostics to name server log events.</summary>
internal static class RemotingDiagnosticsLog
{
    public static void Write(ILogger logger, RemotingDiagnosticEvent diagnostic)
    {
        switch (diagnostic.Kind)
        {
            case RemotingDiagnosticKind.AcceptFailed:
                LogMessages.AcceptFailed(logger, diagnostic.Message, diagnostic.Exception);
                break;
            case RemotingDiagnosticKind.MalformedFrame:
            case RemotingDiagnosticKind.HandlerFailed:
            case RemotingDiagnosticKind.SystemBusy:
            case RemotingDiagnosticKind.SendFailed:
            case RemotingDiagnosticKind.TlsRefused:
                LogMessages.RemotingProblem(logger, diagnostic.Kind.ToString(), diagnostic.ConnectionId, diagnostic.RemoteAddress,
                    diagnostic.Message, diagnostic.Exception);
                break;
            default:
                if (!logger.IsEnabled(LogLevel.Debug)) return;
                LogMessages.RemotingEvent(logger, diagnostic.Kind.ToString(), diagnostic.ConnectionId, diagnostic.RemoteAddress, diagnostic.Message);
                break;
        }
    }
}
