namespace RaftMq.Protocol.Remoting;

/// <summary>What happened; hosts map these to their own log events (Protocol depends on the BCL only).</summary>
public enum RemotingDiagnosticKind
{
    ListenerStarted,
    ConnectionAccepted,
    ConnectionEstablished,
    ConnectionClosed,
    AcceptFailed,
    ConnectFailed,

    /// <summary>A frame could not be decoded; the connection is closed.</summary>
    MalformedFrame,

    /// <summary>A handler threw; the request got a SYSTEM_ERROR response.</summary>
    HandlerFailed,

    /// <summary>A processor group's queue was full; the request got SYSTEM_BUSY.</summary>
    SystemBusy,

    RequestCodeNotSupported,

    /// <summary>A response arrived whose opaque matches no pending request (late after a timeout, or unsolicited).</summary>
    UnmatchedResponse,

    /// <summary>A command could not be encoded or queued for writing.</summary>
    SendFailed,

    /// <summary>A connection was refused before any frame: plaintext where TLS is enforced, TLS where it is disabled,
    /// or a failed TLS handshake (certificate, protocol).</summary>
    TlsRefused,
}

/// <summary>One diagnostic event from a remoting server, client or connection.</summary>
public readonly record struct RemotingDiagnosticEvent(
    RemotingDiagnosticKind Kind,
    long ConnectionId,
    string? RemoteAddress,
    string Message,
    Exception? Exception = null);
