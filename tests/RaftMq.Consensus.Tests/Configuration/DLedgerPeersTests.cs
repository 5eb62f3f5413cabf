using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Tests.Configuration;

public class DLedgerPeersTests
{
    [Fact]
    public void The_sample_peers_parse_in_configured_order()
    {
        var peers = DLedgerPeers.Parse("n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913");
        Assert.Equal(
            [new DLedgerPeer("n0", "127.0.0.1", 40911), new DLedgerPeer("n1", "127.0.0.1", 40912), new DLedgerPeer("n2", "127.0.0.1", 40913)],
            peers.Members);
        Assert.Equal(["n0", "n1", "n2"], peers.Ids);
        Assert.True(peers.Contains("n1"));
        Assert.False(peers.Contains("n3"));
    }

    [Fact]
    public void Host_names_ipv6_trailing_separator_and_surrounding_whitespace_are_accepted()
    {
        var peers = DLedgerPeers.Parse(" a-broker-1.example.com:20911 ; b-[::1]:20912; ");
        Assert.Equal(new DLedgerPeer("a", "broker-1.example.com", 20911), peers.Members[0]);
        Assert.Equal(new DLedgerPeer("b", "[::1]", 20912), peers.Members[1]);
    }

    [Fact]
    public void The_canonical_form_ignores_order_and_host_case_but_not_endpoints()
    {
        var a = DLedgerPeers.Parse("n1-Host:2;n0-host:1");
        var b = DLedgerPeers.Parse("n0-HOST:1;n1-host:2");
        var c = DLedgerPeers.Parse("n0-host:1;n1-host:3");
        Assert.Equal("n0-host:1;n1-host:2", a.Canonical);
        Assert.Equal(a.Canonical, b.Canonical);
        Assert.True(a.CanonicalHash.Span.SequenceEqual(b.CanonicalHash.Span));
        Assert.False(a.CanonicalHash.Span.SequenceEqual(c.CanonicalHash.Span));
        Assert.Equal(32, a.CanonicalHash.Length);
    }

    [Theory]
    [InlineData("n0-127.0.0.1:40911;n0-127.0.0.1:40912", "id 'n0' appears more than once")]
    [InlineData("n0-127.0.0.1:0", "port '0'")]
    [InlineData("n0-127.0.0.1:65536", "port '65536'")]
    [InlineData("n0-127.0.0.1:4x", "port '4x'")]
    [InlineData("n0-127.0.0.1:", "port ''")]
    [InlineData("n0-127.0.0.1", "no ':'")]
    [InlineData("n0-:40911", "host is empty")]
    [InlineData("n0127.0.0.1:40911", "no '-'")]
    [InlineData("-127.0.0.1:40911", "id is empty")]
    [InlineData("n0-127.0.0.1:40911;;n1-127.0.0.1:40912", "member 2 is empty")]
    [InlineData("", "member 1 is empty")]
    [InlineData("n0-127.0.0.1 :40911", "whitespace")]
    public void Invalid_peers_are_rejected_with_a_reason(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DLedgerPeers.Parse(text));
        Assert.Contains(expected, error.Message);
    }
}
