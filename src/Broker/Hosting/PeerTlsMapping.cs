using RaftMq.Consensus.Transport;
using RaftMq.Protocol.Tls;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// The broker's TLS keys applied to its Raft peer links: accepted links follow <c>tlsMode</c> and the
/// <c>tls.server.*</c> side (with <c>tls.peer.need.client.auth=require</c>, default tls.server.need.client.auth,
/// mutual TLS), dialed links use TLS when
/// <c>tlsEnable</c> is on and present <c>tls.client.certPath</c>, else the node's own server certificate.
/// </summary>
public static class PeerTlsMapping
{
    /// <summary>Null when the peer links stay plaintext in both directions.</summary>
    public static PeerTlsOptions? For(TlsConfig tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (tls.Server is null && tls.Client is null) return null;
        var server = tls.PeerServer;
        var client = tls.Client;
        return new PeerTlsOptions
        {
            Mode = tls.Mode switch
            {
                TlsMode.Permissive => PeerTlsMode.Permissive,
                TlsMode.Enforcing => PeerTlsMode.Enforcing,
                _ => PeerTlsMode.Disabled,
            },
            Accept = server?.AuthenticationOptions(),
            Dial = client is null ? null : host => client.For(host, server?.Certificate),
        };
    }
}
