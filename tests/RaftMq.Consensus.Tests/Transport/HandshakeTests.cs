using System.Buffers.Binary;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

public class HandshakeTests
{
    private const string Peers = "n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913";

    private static PeerTransportOptions Node(string selfId, string peers = Peers, string group = "RaftNode00") =>
        new() { GroupName = group, SelfId = selfId, Peers = DLedgerPeers.Parse(peers) };

    [Fact]
    public async Task Request_and_response_round_trip()
    {
        var request = Handshake.CreateRequest(Node("n1"));
        var decodedRequest = await Handshake.ReadRequestAsync(new MemoryStream(Handshake.Encode(request)), CancellationToken.None);
        Assert.Equal(request.Group, decodedRequest.Group);
        Assert.Equal(request.SenderId, decodedRequest.SenderId);
        Assert.Equal(request.CanonicalPeers, decodedRequest.CanonicalPeers);
        Assert.Equal(request.PeersHash, decodedRequest.PeersHash);

        var response = new HandshakeResponse(HandshakeStatus.Challenge, "n0", "", "", "because ✓", [1, 2, 3], [4, 5]);
        var decodedResponse = await Handshake.ReadResponseAsync(new MemoryStream(Handshake.Encode(response)), CancellationToken.None);
        Assert.Equal(response.Status, decodedResponse.Status);
        Assert.Equal(response.Reason, decodedResponse.Reason);
        Assert.Equal(response.Nonce, decodedResponse.Nonce);
        Assert.Equal(response.Mac, decodedResponse.Mac);
        Assert.Equal(request.Nonce, decodedRequest.Nonce);
    }

    [Fact]
    public void A_member_of_the_same_group_with_the_same_peers_in_any_order_is_accepted()
    {
        string reordered = "n2-127.0.0.1:40913;n0-127.0.0.1:40911;n1-127.0.0.1:40912";
        Assert.Null(Handshake.Evaluate(Handshake.CreateRequest(Node("n1", reordered)), Node("n0")));
    }

    [Fact]
    public void A_node_that_moved_accepts_a_peer_listing_it_at_its_old_address_and_nothing_else_different()
    {
        // n0 moved to 40999 (admin addPeer with its new address) and restarted there before it saw that configuration.
        var moved = Node("n0", "n0-127.0.0.1:40999;n1-127.0.0.1:40912;n2-127.0.0.1:40913");
        Assert.Null(Handshake.Evaluate(Handshake.CreateRequest(Node("n1")), moved));
        var otherAlsoDiffers = Node("n2", "n0-127.0.0.1:40911;n1-127.0.0.1:40998;n2-127.0.0.1:40913");
        Assert.Equal("membership differs", Handshake.Evaluate(Handshake.CreateRequest(otherAlsoDiffers), moved)!.Value.Category);
        var otherIds = Node("n1", "n0-127.0.0.1:40911;n1-127.0.0.1:40912;n3-127.0.0.1:40913");
        Assert.Equal("membership differs", Handshake.Evaluate(Handshake.CreateRequest(otherIds), moved)!.Value.Category);
    }

    [Theory]
    [InlineData("n1", Peers, "OtherGroup", "group differs", "group 'OtherGroup' differs from ours 'RaftNode00'")]
    [InlineData("n1", "n0-127.0.0.1:40911;n1-127.0.0.1:40912", "RaftNode00", "membership differs", "dLegerPeers 'n0-127.0.0.1:40911;n1-127.0.0.1:40912' differ from ours 'n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913'")]
    [InlineData("n1", "n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40999", "RaftNode00", "membership differs", "40999")]
    [InlineData("n0", Peers, "RaftNode00", "sender claims the acceptor's id", "our own id 'n0'")]
    public void Mismatching_configurations_are_refused_with_a_category_for_the_dialer_and_details_for_our_log(
        string sender, string peers, string group, string category, string detail)
    {
        var refusal = Handshake.Evaluate(Handshake.CreateRequest(Node(sender, peers, group)), Node("n0"));
        Assert.NotNull(refusal);
        Assert.Equal(category, refusal.Value.Category);
        Assert.Contains(detail, refusal.Value.Detail);
        var response = Handshake.Refuse(Node("n0"), refusal.Value.Category);
        Assert.Equal("", response.Group);
        Assert.Equal("", response.CanonicalPeers);
    }

    [Fact]
    public void A_request_whose_hash_does_not_match_its_peers_text_is_refused()
    {
        var request = Handshake.CreateRequest(Node("n1")) with { CanonicalPeers = "n0-127.0.0.1:1" };
        Assert.Equal("corrupt handshake", Handshake.Evaluate(request, Node("n0"))!.Value.Category);
    }

    [Fact]
    public async Task Another_protocol_version_is_refused_politely()
    {
        var request = Handshake.CreateRequest(Node("n1")) with { Version = 7 };
        var decoded = await Handshake.ReadRequestAsync(new MemoryStream(Handshake.Encode(request)), CancellationToken.None);
        var refusal = Handshake.Evaluate(decoded, Node("n0"));
        Assert.Contains("version 7", refusal!.Value.Detail);
    }

    [Fact]
    public void Macs_bind_role_ids_and_both_nonces()
    {
        byte[] secret = "0123456789abcdef-secret"u8.ToArray();
        byte[] dialerNonce = [1, 2, 3], acceptorNonce = [4, 5, 6];
        var acceptor = Handshake.AcceptorMac(secret, "G", "n0", "n1", dialerNonce, acceptorNonce);
        Assert.Equal(acceptor, Handshake.AcceptorMac(secret, "G", "n0", "n1", dialerNonce, acceptorNonce));
        Assert.NotEqual(acceptor, Handshake.DialerMac(secret, "G", "n0", "n1", dialerNonce, acceptorNonce));
        Assert.NotEqual(acceptor, Handshake.AcceptorMac(secret, "G", "n0", "n1", dialerNonce, [4, 5, 7]));
        Assert.NotEqual(acceptor, Handshake.AcceptorMac("another-secret-of-16"u8.ToArray(), "G", "n0", "n1", dialerNonce, acceptorNonce));
        Assert.NotEqual(acceptor, Handshake.AcceptorMac(secret, "G", "n2", "n1", dialerNonce, acceptorNonce));
    }

    [Fact]
    public async Task Bytes_that_are_not_a_handshake_are_rejected()
    {
        var bytes = Handshake.Encode(Handshake.CreateRequest(Node("n1")));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 0xDEADBEEF);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await Handshake.ReadRequestAsync(new MemoryStream(bytes), CancellationToken.None));

        var truncated = Handshake.Encode(Handshake.CreateRequest(Node("n1")))[..^1];
        await Assert.ThrowsAnyAsync<IOException>(async () => await Handshake.ReadRequestAsync(new MemoryStream(truncated), CancellationToken.None));
    }
}
