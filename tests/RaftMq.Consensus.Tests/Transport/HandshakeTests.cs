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

        var response = new HandshakeResponse(false, "n0", "RaftNode00", Peers, "because ✓");
        var decodedResponse = await Handshake.ReadResponseAsync(new MemoryStream(Handshake.Encode(response)), CancellationToken.None);
        Assert.Equal(response, decodedResponse);
    }

    [Fact]
    public void A_member_of_the_same_group_with_the_same_peers_in_any_order_is_accepted()
    {
        string reordered = "n2-127.0.0.1:40913;n0-127.0.0.1:40911;n1-127.0.0.1:40912";
        var response = Handshake.Evaluate(Handshake.CreateRequest(Node("n1", reordered)), Node("n0"));
        Assert.True(response.Accepted, response.Reason);
        Assert.Equal("n0", response.ResponderId);
    }

    [Theory]
    [InlineData("n1", Peers, "OtherGroup", "group 'OtherGroup' differs from ours 'RaftNode00'")]
    [InlineData("n1", "n0-127.0.0.1:40911;n1-127.0.0.1:40912", "RaftNode00", "dLegerPeers 'n0-127.0.0.1:40911;n1-127.0.0.1:40912' differ from ours 'n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913'")]
    [InlineData("n1", "n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40999", "RaftNode00", "40999")]
    [InlineData("n0", Peers, "RaftNode00", "our own id 'n0'")]
    public void Mismatching_configurations_are_refused_with_a_reason_naming_both(string sender, string peers, string group, string expectedReason)
    {
        var response = Handshake.Evaluate(Handshake.CreateRequest(Node(sender, peers, group)), Node("n0"));
        Assert.False(response.Accepted);
        Assert.Contains(expectedReason, response.Reason);
        Assert.Equal(Node("n0").Peers.Canonical, response.CanonicalPeers);
        Assert.Equal("RaftNode00", response.Group);
    }

    [Fact]
    public void A_request_whose_hash_does_not_match_its_peers_text_is_refused()
    {
        var request = Handshake.CreateRequest(Node("n1")) with { CanonicalPeers = "n0-127.0.0.1:1" };
        Assert.Contains("corrupt", Handshake.Evaluate(request, Node("n0")).Reason);
    }

    [Fact]
    public async Task Another_protocol_version_is_refused_politely()
    {
        var request = Handshake.CreateRequest(Node("n1")) with { Version = 2 };
        var decoded = await Handshake.ReadRequestAsync(new MemoryStream(Handshake.Encode(request)), CancellationToken.None);
        var response = Handshake.Evaluate(decoded, Node("n0"));
        Assert.False(response.Accepted);
        Assert.Contains("version 2", response.Reason);
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
