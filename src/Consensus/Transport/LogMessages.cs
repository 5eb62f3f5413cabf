using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Transport;

/// <summary>Peer transport log events, ids 1500-1699.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Peer transport of {SelfId} (group {Group}) listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string selfId, string group, string endpoint);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Peer transport of {SelfId} stopped")]
    public static partial void Stopped(ILogger logger, string selfId);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Critical, Message = "Peer transport of {SelfId} cannot listen on {Endpoint}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, string selfId, string endpoint, string reason);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Accepting a peer connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Connected to peer {PeerId} at {Endpoint} (attempt {Attempts})")]
    public static partial void PeerConnected(ILogger logger, string peerId, string endpoint, int attempts);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "Connection to peer {PeerId} at {Endpoint} lost: {Reason}")]
    public static partial void PeerDisconnected(ILogger logger, string peerId, string endpoint, string reason);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Warning,
        Message = "Peer {PeerId} at {Endpoint} unreachable after {Attempts} attempt(s) ({Suppressed} similar failures not logged): {Reason}")]
    public static partial void PeerUnreachable(ILogger logger, string peerId, string endpoint, int attempts, int suppressed, string reason);

    [LoggerMessage(EventId = 1520, Level = LogLevel.Error,
        Message = "Peer {PeerId} at {Endpoint} refused our handshake: {Reason}. Theirs: group {TheirGroup} peers '{TheirPeers}'; ours: group {OurGroup} peers '{OurPeers}'. Retrying until the configurations agree ({Suppressed} repeats not logged)")]
    public static partial void RefusedByPeer(ILogger logger, string peerId, string endpoint, string reason,
        string theirGroup, string theirPeers, string ourGroup, string ourPeers, int suppressed);

    [LoggerMessage(EventId = 1521, Level = LogLevel.Error,
        Message = "Refused connection from {Remote} claiming to be {ClaimedId}: {Reason}. Theirs: group {TheirGroup} peers '{TheirPeers}'; ours: group {OurGroup} peers '{OurPeers}' ({Suppressed} repeats not logged)")]
    public static partial void RefusedPeer(ILogger logger, string remote, string claimedId, string reason,
        string theirGroup, string theirPeers, string ourGroup, string ourPeers, int suppressed);

    [LoggerMessage(EventId = 1522, Level = LogLevel.Warning, Message = "Handshake with {Remote} failed: {Reason}")]
    public static partial void InvalidHandshake(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1523, Level = LogLevel.Error,
        Message = "The endpoint {Endpoint} configured for peer {PeerId} is answered by node {ResponderId}; check dLegerPeers and dLegerSelfId ({Suppressed} repeats not logged)")]
    public static partial void WrongPeerAnswered(ILogger logger, string endpoint, string peerId, string responderId, int suppressed);

    [LoggerMessage(EventId = 1530, Level = LogLevel.Information, Message = "Peer {PeerId} connected from {Remote} ({Security})")]
    public static partial void InboundAccepted(ILogger logger, string peerId, string remote, string security);

    [LoggerMessage(EventId = 1531, Level = LogLevel.Information, Message = "Connection from peer {PeerId} at {Remote} closed: {Reason}")]
    public static partial void InboundClosed(ILogger logger, string peerId, string remote, string reason);

    [LoggerMessage(EventId = 1532, Level = LogLevel.Information, Message = "Peer {PeerId} connected again from {Remote}; closing its previous connection from {Previous}")]
    public static partial void InboundReplaced(ILogger logger, string peerId, string remote, string previous);

    [LoggerMessage(EventId = 1540, Level = LogLevel.Error,
        Message = "Frame from peer {PeerId} at {Remote} declares {Length} bytes (limit {MaxFrameBytes}); closing the connection")]
    public static partial void FrameInvalidLength(ILogger logger, string peerId, string remote, long length, int maxFrameBytes);

    [LoggerMessage(EventId = 1541, Level = LogLevel.Error,
        Message = "Frame of {Length} bytes from peer {PeerId} at {Remote} fails its checksum (CRC-32C {Actual}, header says {Expected}); closing the connection")]
    public static partial void FrameCrcMismatch(ILogger logger, long length, string peerId, string remote, string actual, string expected);

    [LoggerMessage(EventId = 1542, Level = LogLevel.Information,
        Message = "Connection from peer {PeerId} at {Remote} ended inside a frame ({Buffered} bytes of it received)")]
    public static partial void FrameTruncated(ILogger logger, string peerId, string remote, long buffered);

    [LoggerMessage(EventId = 1543, Level = LogLevel.Error,
        Message = "Peer {PeerId} at {Endpoint} sent data on our outbound connection, which is send-only; closing it")]
    public static partial void UnexpectedOutboundData(ILogger logger, string peerId, string endpoint);

    [LoggerMessage(EventId = 1550, Level = LogLevel.Error, Message = "A {EventName} handler threw for peer {PeerId}")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string eventName, string peerId);

    [LoggerMessage(EventId = 1551, Level = LogLevel.Error, Message = "The connection loop for {Remote} failed unexpectedly")]
    public static partial void InboundLoopFailed(ILogger logger, Exception exception, string remote);

    [LoggerMessage(EventId = 1560, Level = LogLevel.Error,
        Message = "Refused peer connection from {Remote}: {Reason} ({Suppressed} repeats not logged)")]
    public static partial void TlsRefused(ILogger logger, string remote, string reason, int suppressed);

    [LoggerMessage(EventId = 1570, Level = LogLevel.Information, Message = "{SelfId}: opened a peer link to {PeerId} at {Endpoint} (it joined the group's configuration)")]
    public static partial void PeerLinkOpened(ILogger logger, string selfId, string peerId, string endpoint);

    [LoggerMessage(EventId = 1571, Level = LogLevel.Information, Message = "{SelfId}: closed the peer link to {PeerId} (it left the group's configuration)")]
    public static partial void PeerLinkClosed(ILogger logger, string selfId, string peerId);
}
