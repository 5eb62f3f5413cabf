using System.Buffers.Binary;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
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

    private const string GrownPeers = Peers + ";n3-127.0.0.1:40914";

    /// <summary>The configuration a group that added n3 to n0..n2 replicated at <paramref name="index"/>.</summary>
    private static FollowedConfiguration Grown(long index = 7, string peers = GrownPeers) =>
        FollowedConfiguration.Of(index, new Membership(
            DLedgerPeers.Parse(peers).Members.Select(peer => new Member(peer.Id, peer.Endpoint)).ToArray(), []));

    [Fact]
    public async Task A_dialer_following_a_configuration_sends_version_3_with_it_and_round_trips()
    {
        var request = Handshake.CreateRequest(Node("n1", GrownPeers), Grown());
        Assert.Equal(Handshake.CurrentVersion, request.Version);
        var decoded = await Handshake.ReadRequestAsync(new MemoryStream(Handshake.Encode(request)), CancellationToken.None);
        Assert.Equal(7, decoded.ConfigurationIndex);
        Assert.Equal(Grown().Encoded, decoded.Configuration);
        Assert.True(Handshake.DecodeConfiguration(decoded)!.IsVoter("n3"));
    }

    [Fact]
    public async Task Without_a_configuration_or_towards_an_older_peer_the_dialer_sends_the_version_2_handshake()
    {
        var plain = Handshake.CreateRequest(Node("n1"));
        var legacy = Handshake.CreateRequest(Node("n1"), Grown(), legacy: true);
        foreach (var request in new[] { plain, legacy })
        {
            Assert.Equal(Handshake.LegacyVersion, request.Version);
            var bytes = Handshake.Encode(request);
            // version 2 body: magic, version, group, sender, hash, peers, nonce: nothing after the nonce
            Assert.Equal(4 + 4 + 2 + (2 + 10) + (2 + 2) + 32 + (2 + Peers.Length) + 16, bytes.Length);
            var decoded = await Handshake.ReadRequestAsync(new MemoryStream(bytes), CancellationToken.None);
            Assert.Equal(0, decoded.ConfigurationIndex);
            Assert.Null(Handshake.Evaluate(decoded, Node("n0")));
        }
    }

    [Fact]
    public void A_node_without_a_configuration_entry_accepts_a_dialer_whose_replicated_configuration_lists_both()
    {
        // n0's log holds entries but no configuration entry; its dLegerPeers still list n0..n2. n1's conf was edited to
        // list n3 and n1 follows the configuration that added n3.
        var request = Handshake.CreateRequest(Node("n1", GrownPeers), Grown());
        Assert.Null(Handshake.Evaluate(request, Node("n0"), check: PeerCheck.SameDLedgerPeers));
        Assert.Null(Handshake.Evaluate(request, Node("n0"), check: PeerCheck.Joining));
        // Without the configuration the same dLegerPeers are still refused.
        Assert.Equal("membership differs", Handshake.Evaluate(Handshake.CreateRequest(Node("n1", GrownPeers)), Node("n0"))!.Value.Category);
    }

    [Fact]
    public void A_leader_unknown_to_our_dLegerPeers_is_accepted_when_its_configuration_lists_it_and_us()
    {
        var request = Handshake.CreateRequest(Node("n3", GrownPeers), Grown());
        Assert.Null(Handshake.Evaluate(request, Node("n0")));
        Assert.Equal("unknown member", Handshake.Evaluate(request, Node("n0"), isMember: _ => false, check: PeerCheck.Configuration, ownConfigurationIndex: 7)!.Value.Category);
    }

    [Fact]
    public void A_configuration_that_does_not_list_us_or_the_sender_or_is_not_newer_than_ours_is_not_a_reason_to_accept()
    {
        string withoutN0 = "n1-127.0.0.1:40912;n2-127.0.0.1:40913;n3-127.0.0.1:40914";
        var removedUs = Handshake.CreateRequest(Node("n1", withoutN0), Grown(peers: withoutN0));
        Assert.Equal("membership differs", Handshake.Evaluate(removedUs, Node("n0"))!.Value.Category);

        string withoutSender = "n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913";
        var senderNotListed = Handshake.CreateRequest(Node("n3", GrownPeers), Grown(peers: withoutSender));
        Assert.Equal("membership differs", Handshake.Evaluate(senderNotListed, Node("n0"))!.Value.Category);

        var older = Handshake.CreateRequest(Node("n3", GrownPeers), Grown(index: 5));
        Assert.Equal("unknown member", Handshake.Evaluate(older, Node("n0"), isMember: id => id != "n3", check: PeerCheck.Configuration,
            ownConfigurationIndex: 9)!.Value.Category);
    }

    [Fact]
    public void A_configuration_that_does_not_decode_is_a_corrupt_handshake()
    {
        var request = Handshake.CreateRequest(Node("n1", GrownPeers), Grown()) with { Configuration = [9, 9, 9] };
        Assert.Equal("corrupt handshake", Handshake.Evaluate(request, Node("n0"))!.Value.Category);
        var noVoter = Handshake.CreateRequest(Node("n1", GrownPeers), FollowedConfiguration.Of(7, new Membership([], [new Member("n0", "")])));
        Assert.Equal("corrupt handshake", Handshake.Evaluate(noVoter, Node("n0"))!.Value.Category);
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
