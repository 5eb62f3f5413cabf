using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Clients;

/// <summary>
/// One client instance as seen through one connection: its clientID, the connection it talks on (the way to send
/// it NOTIFY_CONSUMER_IDS_CHANGED) and when it last sent a heartbeat.
/// </summary>
public sealed class ClientChannel
{
    public ClientChannel(string clientId, long connectionId, RemotingConnection? connection, LanguageCode language, int version, DateTimeOffset lastHeartbeat)
    {
        ClientId = clientId;
        ConnectionId = connectionId;
        Connection = connection;
        Language = language;
        Version = version;
        LastHeartbeat = lastHeartbeat;
    }

    public string ClientId { get; }

    public long ConnectionId { get; }

    /// <summary>Null only in unit tests that exercise the registry without a network.</summary>
    public RemotingConnection? Connection { get; }

    public LanguageCode Language { get; }

    public int Version { get; }

    public DateTimeOffset LastHeartbeat { get; internal set; }
}
