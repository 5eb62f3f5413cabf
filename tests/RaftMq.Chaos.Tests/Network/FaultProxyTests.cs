using RaftMq.Chaos.Network;
using static RaftMq.Chaos.Tests.Network.LoopbackPair;

namespace RaftMq.Chaos.Tests.Network;

public sealed class FaultProxyTests
{
    [Fact]
    public async Task Bytes_pass_both_ways_in_pass_mode()
    {
        await using var pair = LoopbackPair.Start();
        using var client = await pair.ConnectClientAsync();
        using var server = await pair.AcceptServerAsync();

        await SendAsync(client, "ping");
        Assert.Equal("ping", await ReceiveExactlyAsync(server, 4));
        await SendAsync(server, "pong!");
        Assert.Equal("pong!", await ReceiveExactlyAsync(client, 5));
    }

    [Fact]
    public async Task Blackhole_stops_bytes_but_keeps_the_connection_and_heal_delivers_them_in_order()
    {
        await using var pair = LoopbackPair.Start();
        using var client = await pair.ConnectClientAsync();
        using var server = await pair.AcceptServerAsync();
        await SendAsync(client, "a");
        Assert.Equal("a", await ReceiveExactlyAsync(server, 1));

        pair.Proxy.SetMode(ProxyMode.Blackhole);
        await SendAsync(client, "bc");
        await SendAsync(server, "xy");

        Assert.True(StaysQuiet(server), "bytes reached the server through a blackhole");
        Assert.True(StaysQuiet(client), "bytes or a close reached the client through a blackhole");
        Assert.Equal(1, pair.Proxy.OpenConnections);

        pair.Proxy.SetMode(ProxyMode.Pass);
        Assert.Equal("bc", await ReceiveExactlyAsync(server, 2));
        Assert.Equal("xy", await ReceiveExactlyAsync(client, 2));
        await SendAsync(client, "d");
        Assert.Equal("d", await ReceiveExactlyAsync(server, 1));
    }

    [Fact]
    public async Task Connection_opened_during_blackhole_is_held_and_forwarded_after_heal()
    {
        await using var pair = LoopbackPair.Start();
        pair.Proxy.SetMode(ProxyMode.Blackhole);
        using var client = await pair.ConnectClientAsync();
        await SendAsync(client, "hello");

        Assert.False(pair.Target.Server.Poll((int)QuietPeriod.TotalMicroseconds, System.Net.Sockets.SelectMode.SelectRead),
            "the proxy dialled the target during a blackhole");

        pair.Proxy.SetMode(ProxyMode.Pass);
        using var server = await pair.AcceptServerAsync();
        Assert.Equal("hello", await ReceiveExactlyAsync(server, 5));
    }

    [Fact]
    public async Task Refuse_drops_existing_connections_on_both_sides()
    {
        await using var pair = LoopbackPair.Start();
        using var client = await pair.ConnectClientAsync();
        using var server = await pair.AcceptServerAsync();
        await SendAsync(client, "a");
        Assert.Equal("a", await ReceiveExactlyAsync(server, 1));

        pair.Proxy.SetMode(ProxyMode.Refuse);

        Assert.True(await ClosesAsync(client));
        Assert.True(await ClosesAsync(server));
    }

    [Fact]
    public async Task Refuse_resets_new_connections_and_pass_accepts_them_again()
    {
        await using var pair = LoopbackPair.Start();
        pair.Proxy.SetMode(ProxyMode.Refuse);
        Assert.True(await pair.ConnectionIsDroppedAsync());

        pair.Proxy.SetMode(ProxyMode.Pass);
        using var client = await pair.ConnectClientAsync();
        using var server = await pair.AcceptServerAsync();
        await SendAsync(client, "ok");
        Assert.Equal("ok", await ReceiveExactlyAsync(server, 2));
    }

    [Fact]
    public async Task Connection_to_a_dead_target_is_closed()
    {
        await using var pair = LoopbackPair.Start();
        pair.Target.Stop();

        Assert.True(await pair.ConnectionIsDroppedAsync());
    }
}
