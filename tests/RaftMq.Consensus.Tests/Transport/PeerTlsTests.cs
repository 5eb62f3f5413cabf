using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RaftMq.Consensus.Transport;
using RaftMq.Tests.Tls;

namespace RaftMq.Consensus.Tests.Transport;

/// <summary>Peer links over TLS: mutual TLS delivers, enforcing refuses plaintext, permissive takes both, and a
/// certificate the group does not trust (server or client side) never carries a payload.</summary>
public class PeerTlsTests
{
    private static readonly X509Certificate2 Authority = TestCertificates.CreateAuthority("raftmq test peers CA");
    private static readonly X509Certificate2 NodeCertificate = TestCertificates.Issue(Authority, "raftmq node");

    [Fact]
    public async Task Members_with_mutual_tls_connect_and_deliver_both_ways()
    {
        var tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: true);
        await using var group = new TransportGroup(2, tune: o => o with { Tls = tls });
        var n0 = await group.Start("n0");
        var n1 = await group.Start("n1");
        Assert.True(n0.TrySend("n1", new byte[] { 1 }));
        Assert.True(n1.TrySend("n0", new byte[] { 2 }));
        Assert.Equal(("n0", (byte)1), Single(await Eventually.ReadOne(n1)));
        Assert.Equal(("n1", (byte)2), Single(await Eventually.ReadOne(n0)));
    }

    [Fact]
    public async Task An_enforcing_member_refuses_a_plaintext_dialer_with_a_log_line_and_delivers_nothing()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0", group.OptionsFor("n0") with { Tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: false) });
        var n1 = await group.Start("n1");
        Assert.True(n1.TrySend("n0", new byte[] { 1 }));
        await Eventually.WaitUntil(() => group.Logs["n0"].MessagesWithId(1560).Any(m => m.Contains("plaintext", StringComparison.Ordinal)),
            "n0 logged the refused plaintext dialer");
        Assert.False(n0.Inbound.TryRead(out _));
        Assert.Equal(0, group.Count("n1", "connected", "n0"));
    }

    [Fact]
    public async Task A_permissive_member_accepts_tls_and_plaintext_dialers_on_one_port()
    {
        await using var group = new TransportGroup(3);
        var n0 = await group.Start("n0", group.OptionsFor("n0") with { Tls = Tls(PeerTlsMode.Permissive, requireClientCertificate: false) });
        var n1 = await group.Start("n1", group.OptionsFor("n1") with { Tls = Tls(PeerTlsMode.Permissive, requireClientCertificate: false) });
        var n2 = await group.Start("n2");
        Assert.True(n1.TrySend("n0", new byte[] { 1 }));
        Assert.Equal(("n1", (byte)1), Single(await Eventually.ReadOne(n0)));
        Assert.True(n2.TrySend("n0", new byte[] { 2 }));
        Assert.Equal(("n2", (byte)2), Single(await Eventually.ReadOne(n0)));
    }

    [Fact]
    public async Task A_dialer_without_a_client_certificate_is_refused_where_mutual_tls_is_required()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0", group.OptionsFor("n0") with { Tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: true) });
        var n1 = await group.Start("n1", group.OptionsFor("n1") with { Tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: false, presentClientCertificate: false) });
        Assert.True(n1.TrySend("n0", new byte[] { 1 }));
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1560), "n0 logged the refused TLS handshake");
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_dialer_refuses_a_member_whose_certificate_another_authority_signed()
    {
        var stranger = TestCertificates.CreateAuthority("another CA");
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0", group.OptionsFor("n0") with
        {
            Tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: false, serverCertificate: TestCertificates.Issue(stranger, "impostor")),
        });
        var n1 = await group.Start("n1", group.OptionsFor("n1") with { Tls = Tls(PeerTlsMode.Enforcing, requireClientCertificate: false) });
        Assert.True(n1.TrySend("n0", new byte[] { 1 }));
        await Eventually.WaitUntil(() => group.Logs["n1"].MessagesWithId(1512).Any(m => m.Contains("TLS", StringComparison.Ordinal)),
            "n1 logged that n0's certificate failed verification");
        Assert.False(n0.Inbound.TryRead(out _));
        Assert.Equal(0, group.Count("n1", "connected", "n0"));
    }

    private static (string, byte) Single(InboundPayload payload) => (payload.From, payload.Payload[0]);

    private static PeerTlsOptions Tls(PeerTlsMode mode, bool requireClientCertificate, bool presentClientCertificate = true,
        X509Certificate2? serverCertificate = null) => new()
    {
        Mode = mode,
        Accept = new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate ?? NodeCertificate,
            ClientCertificateRequired = requireClientCertificate,
            CertificateChainPolicy = TrustOnly(Authority),
        },
        Dial = host => new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificates = presentClientCertificate ? [NodeCertificate] : null,
            CertificateChainPolicy = TrustOnly(Authority),
        },
    };

    private static X509ChainPolicy TrustOnly(X509Certificate2 authority)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(authority);
        return policy;
    }
}
