using System.Net.Sockets;
using System.Text;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

/// <summary>With dLegerPeerSecret set, only holders of the secret join; a forged member id never displaces a live link.</summary>
public class PeerAuthenticationTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("group-secret-of-at-least-16");

    [Fact]
    public async Task Members_holding_the_secret_connect_and_deliver()
    {
        await using var group = new TransportGroup(2, tune: o => o with { Secret = Secret });
        var n0 = await group.Start("n0");
        var n1 = await group.Start("n1");
        Assert.True(n0.TrySend("n1", new byte[] { 7 }));
        var inbound = await Eventually.ReadOne(n1);
        Assert.Equal("n0", inbound.From);
    }

    [Fact]
    public async Task A_member_with_another_secret_is_refused_and_learns_nothing()
    {
        await using var group = new TransportGroup(2, tune: o => o with { Secret = Secret });
        var n0 = await group.Start("n0");
        await group.Start("n1", group.OptionsFor("n1") with { Secret = Encoding.UTF8.GetBytes("a-different-secret-16") });
        // Each side, as dialer, finds that the acceptor's proof does not match its own secret and gives up.
        await Eventually.WaitUntil(() => group.Logs["n1"].MessagesWithId(1512).Any(m => m.Contains("failed to prove the group secret", StringComparison.Ordinal))
                                      && group.Logs["n0"].MessagesWithId(1512).Any(m => m.Contains("failed to prove the group secret", StringComparison.Ordinal)),
            "both dialers refused the other's proof");
        Assert.Equal(0, group.Count("n0", "connected", "n1"));
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_forged_peer_without_the_secret_is_challenged_refused_and_sees_no_configuration()
    {
        // The hand-driven dialer answers the challenge at test speed: on a loaded machine that can take longer than the
        // default 3 s handshake deadline, after which the acceptor closes without a verdict. Give it the test's deadline.
        await using var group = new TransportGroup(2, tune: o => o with { Secret = Secret, ConnectTimeout = Eventually.Deadline });
        var n0 = await group.Start("n0");
        var (raw, response) = await RawPeer.Connect(group.Ports[0], group.OptionsFor("n1") with { Secret = null });
        await using (raw)
        {
            Assert.Equal(HandshakeStatus.Challenge, response.Status);
            Assert.Equal("", response.CanonicalPeers);
            await raw.Stream.WriteAsync(Handshake.EncodeProof(new byte[32]));
            var verdict = await Handshake.ReadResponseAsync(raw.Stream, CancellationToken.None);
            Assert.Equal(HandshakeStatus.Refused, verdict.Status);
            Assert.Equal("authentication failed", verdict.Reason);
            Assert.Equal("", verdict.Group);
            Assert.Equal("", verdict.CanonicalPeers);
            Assert.True(await raw.ClosedByRemote());
        }
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_second_connection_claiming_a_live_members_id_is_refused_and_the_real_link_stays()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        var n1 = await group.Start("n1");
        Assert.True(n1.TrySend("n0", new byte[] { 1 }));
        Assert.Equal("n1", (await Eventually.ReadOne(n0)).From);

        var (raw, response) = await RawPeer.Connect(group.Ports[0], group.OptionsFor("n1"));
        await using (raw)
        {
            Assert.False(response.Accepted);
            Assert.Equal("member already connected", response.Reason);
        }
        Assert.True(n1.TrySend("n0", new byte[] { 2 }));
        var next = await Eventually.ReadOne(n0);
        Assert.Equal(("n1", (byte)2), (next.From, next.Payload[0]));
        Assert.False(group.Logs["n0"].Has(1532), "the real inbound link was not replaced");
    }
}
