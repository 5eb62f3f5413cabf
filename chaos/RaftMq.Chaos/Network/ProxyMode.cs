namespace RaftMq.Chaos.Network;

/// <summary>How a <see cref="FaultProxy"/> treats traffic.</summary>
public enum ProxyMode
{
    /// <summary>Bytes flow both ways.</summary>
    Pass,

    /// <summary>
    /// Partition without connection close: sockets stay open but no byte moves in either direction (they
    /// stay queued, as TCP retransmission would hold them); new connections are accepted and held.
    /// Back to <see cref="Pass"/> and the queued bytes flow on, like a healed network.
    /// </summary>
    Blackhole,

    /// <summary>Drop-all: existing connections are reset and new ones are reset as soon as they are accepted.</summary>
    Refuse,
}
