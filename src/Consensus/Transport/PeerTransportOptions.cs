using System.Net;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Transport;

/// <summary>Settings of a <see cref="PeerTransport"/>. <see cref="Validate"/> throws ArgumentException naming the option.</summary>
public sealed record PeerTransportOptions
{
    /// <summary>Raft group name (<c>dLegerGroup</c>); connections from another group are refused.</summary>
    public required string GroupName { get; init; }

    public required string SelfId { get; init; }

    /// <summary>All members including self; self's endpoint is where the listener binds.</summary>
    public required DLedgerPeers Peers { get; init; }

    /// <summary>The group secret (<c>dLegerPeerSecret</c>, UTF-8): when set, both ends of every peer connection prove
    /// they hold it (HMAC challenge in the handshake) and a peer without it is refused. Null: no authentication.</summary>
    public byte[]? Secret { get; init; }

    /// <summary>TLS of the peer links (tlsMode for accepted connections, client side for dialed ones); null: plaintext.</summary>
    public PeerTlsOptions? Tls { get; init; }

    /// <summary>An inbound connection for a member id is replaced by a newer one only after it delivered nothing for
    /// this long (a half-open link of a restarted peer); while it is active, a second connection is refused.</summary>
    public TimeSpan InboundReplaceAfterSilence { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Limit for one TCP connect plus handshake (both directions).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectBackoffMax"/>, with jitter.</summary>
    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Payloads waiting for one peer; TrySend returns false beyond this (Raft tolerates the loss).</summary>
    public int MaxQueuedPayloadsPerPeer { get; init; } = 4096;

    /// <summary>Bytes waiting for one peer; TrySend returns false beyond this (one payload is always accepted
    /// into an empty queue).</summary>
    public long MaxQueuedBytesPerPeer { get; init; } = 64L << 20;

    /// <summary>Largest payload sent or accepted; a larger incoming frame closes the connection.</summary>
    public int MaxFrameBytes { get; init; } = 64 << 20;

    /// <summary>Capacity of <see cref="PeerTransport.Inbound"/>; when full, reading from sockets pauses (TCP
    /// back-pressure) until the runtime catches up.</summary>
    public int InboundCapacity { get; init; } = 16384;

    /// <summary>Size of the pooled buffer in which queued frames are coalesced into one socket write.</summary>
    public int WriteBatchBytes { get; init; } = 64 * 1024;

    /// <summary>Repeated failures (peer unreachable, handshake refused) are logged at most once per this interval.</summary>
    public TimeSpan LogRepeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Overrides the listen address; by default self's configured endpoint (an IP literal or
    /// <c>localhost</c> binds that address, any other host name binds all interfaces on the port).</summary>
    public IPEndPoint? ListenEndpoint { get; init; }

    /// <summary>Where to dial some peers instead of their <see cref="Peers"/> endpoint (e.g. a fault proxy in front
    /// of them). Only the TCP destination changes: the handshake still names the peer and hashes <see cref="Peers"/>.</summary>
    public IReadOnlyList<DLedgerPeer> DialOverrides { get; init; } = [];

    /// <summary>The address to dial for <paramref name="peer"/>: its override when one is set, else itself.</summary>
    public DLedgerPeer DialAddressOf(DLedgerPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        foreach (var dial in DialOverrides)
        {
            if (string.Equals(dial.Id, peer.Id, StringComparison.Ordinal)) return dial;
        }
        return peer;
    }

    /// <summary>Transport settings for the node described by <paramref name="consensus"/>, with default limits.</summary>
    public static PeerTransportOptions For(ConsensusOptions consensus)
    {
        ArgumentNullException.ThrowIfNull(consensus);
        return new PeerTransportOptions
        {
            GroupName = consensus.Group, SelfId = consensus.SelfId, Peers = consensus.Peers, DialOverrides = consensus.PeerDialOverrides,
            Secret = consensus.PeerSecret?.Utf8(),
        };
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GroupName)) throw new ArgumentException("GroupName must be set", nameof(GroupName));
        if (Peers is null || !Peers.Contains(SelfId))
            throw new ArgumentException($"SelfId '{SelfId}' is not one of the peers '{Peers}'", nameof(SelfId));
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException("ConnectTimeout must be positive", nameof(ConnectTimeout));
        if (ReconnectBackoffMin <= TimeSpan.Zero) throw new ArgumentException("ReconnectBackoffMin must be positive", nameof(ReconnectBackoffMin));
        if (ReconnectBackoffMax < ReconnectBackoffMin)
            throw new ArgumentException("ReconnectBackoffMax must be at least ReconnectBackoffMin", nameof(ReconnectBackoffMax));
        if (MaxQueuedPayloadsPerPeer < 1) throw new ArgumentException("MaxQueuedPayloadsPerPeer must be >= 1", nameof(MaxQueuedPayloadsPerPeer));
        if (MaxQueuedBytesPerPeer < 1) throw new ArgumentException("MaxQueuedBytesPerPeer must be >= 1", nameof(MaxQueuedBytesPerPeer));
        if (MaxFrameBytes < 1) throw new ArgumentException("MaxFrameBytes must be >= 1", nameof(MaxFrameBytes));
        if (InboundCapacity < 1) throw new ArgumentException("InboundCapacity must be >= 1", nameof(InboundCapacity));
        if (WriteBatchBytes < 4096) throw new ArgumentException("WriteBatchBytes must be >= 4096", nameof(WriteBatchBytes));
        foreach (var dial in DialOverrides ?? [])
        {
            if (dial.Id == SelfId) throw new ArgumentException($"dial override '{dial}' names this node", nameof(DialOverrides));
        }
        if (Secret is { Length: < 16 }) throw new ArgumentException("Secret must be at least 16 bytes", nameof(Secret));
        Tls?.Validate();
        if (LogRepeatInterval < TimeSpan.Zero) throw new ArgumentException("LogRepeatInterval must not be negative", nameof(LogRepeatInterval));
    }
}

/// <summary>A payload received from a peer. The transport does not keep the array; the reader owns it.</summary>
public readonly record struct InboundPayload(string From, byte[] Payload);
