using System.Net.Sockets;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

public class PeerTransportLifecycleTests
{
    [Fact]
    public async Task PeerDisconnected_is_raised_when_a_peer_stops()
    {
        await using var group = new TransportGroup(2);
        await group.Start("n0");
        var n1 = await group.Start("n1");
        await Eventually.WaitUntil(() => group.Count("n0", "connected", "n1") == 1, "n0 connected to n1");

        await n1.StopAsync(CancellationToken.None);

        await Eventually.WaitUntil(() => group.Count("n0", "disconnected", "n1") == 1, "n0 reports n1 disconnected");
        Assert.Contains(group.Logs["n0"].MessagesWithId(1511), m => m.Contains("n1", StringComparison.Ordinal));
        Assert.Equal(0, group.Count("n1", "disconnected", "n0")); // a stopping transport raises no events itself
    }

    [Fact]
    public async Task A_restarted_peer_on_the_same_port_is_reconnected_and_receives_again()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        var n1 = await group.Start("n1");
        Assert.True(n0.TrySend("n1", new byte[] { 1 }));
        Assert.Equal(new byte[] { 1 }, (await Eventually.ReadOne(n1)).Payload);
        Assert.True(n1.TrySend("n0", new byte[] { 2 }));
        Assert.Equal(new byte[] { 2 }, (await Eventually.ReadOne(n0)).Payload);

        await n1.StopAsync(CancellationToken.None);
        await Eventually.WaitUntil(() => group.Count("n0", "disconnected", "n1") == 1, "n0 noticed n1 stopping");
        var restarted = await group.Start("n1");
        await Eventually.WaitUntil(() => group.Count("n0", "connected", "n1") == 2, "n0 reconnected to the restarted n1");

        Assert.True(n0.TrySend("n1", new byte[] { 3 }));
        var received = await Eventually.ReadOne(restarted);
        Assert.Equal("n0", received.From);
        Assert.Equal(new byte[] { 3 }, received.Payload);
        Assert.True(restarted.TrySend("n0", new byte[] { 4 }));
        Assert.Equal(new byte[] { 4 }, (await Eventually.ReadOne(n0)).Payload);
    }

    [Fact]
    public async Task TrySend_returns_false_when_the_queue_of_an_unreachable_peer_is_full()
    {
        await using var group = new TransportGroup(2, tune: o => o with { MaxQueuedPayloadsPerPeer = 8 });
        var n0 = await group.Start("n0"); // n1 never starts
        for (int i = 0; i < 8; i++) Assert.True(n0.TrySend("n1", new byte[] { (byte)i }));
        Assert.False(n0.TrySend("n1", new byte[] { 8 }));
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1512), "n0 logged n1 as unreachable");
        Assert.False(n0.TrySend("n1", new byte[] { 9 }));
    }

    [Fact]
    public async Task TrySend_returns_false_when_the_queued_bytes_budget_is_used_up()
    {
        await using var group = new TransportGroup(2, tune: o => o with { MaxQueuedBytesPerPeer = 1000 });
        var n0 = await group.Start("n0");
        Assert.True(n0.TrySend("n1", new byte[400]));
        Assert.True(n0.TrySend("n1", new byte[400]));
        Assert.False(n0.TrySend("n1", new byte[400]));
        Assert.True(n0.TrySend("n1", new byte[200]));
    }

    [Fact]
    public async Task Payloads_queued_while_a_peer_is_down_are_delivered_once_it_starts()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        for (byte i = 0; i < 50; i++) Assert.True(n0.TrySend("n1", new[] { i }));
        var n1 = await group.Start("n1");
        for (byte i = 0; i < 50; i++) Assert.Equal(new[] { i }, (await Eventually.ReadOne(n1)).Payload);
    }

    [Fact]
    public async Task After_stop_TrySend_returns_false_and_Inbound_completes()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        await n0.StopAsync(CancellationToken.None);
        Assert.False(n0.TrySend("n1", new byte[] { 1 }));
        using var timeout = new CancellationTokenSource(Eventually.Deadline);
        await n0.Inbound.Completion.WaitAsync(timeout.Token);
        await n0.StopAsync(CancellationToken.None); // idempotent
    }

    [Fact]
    public async Task Sending_to_self_or_an_unknown_peer_is_a_programming_error()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        Assert.Throws<ArgumentException>(() => n0.TrySend("n0", new byte[1]));
        Assert.Throws<ArgumentException>(() => n0.TrySend("n9", new byte[1]));
    }

    [Fact]
    public async Task A_second_transport_cannot_listen_on_an_endpoint_in_use()
    {
        await using var group = new TransportGroup(2);
        await group.Start("n0");
        await using var duplicate = new PeerTransport(group.OptionsFor("n0"), new CapturingLogger<PeerTransport>());
        await Assert.ThrowsAsync<SocketException>(() => duplicate.StartAsync(CancellationToken.None));
        Assert.False(duplicate.TrySend("n1", new byte[1]));
    }

    [Fact]
    public async Task Stopping_busy_transports_leaves_no_unobserved_task_exceptions()
    {
        var unobserved = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            // The event is process-wide; only failures from transport code count here.
            if (e.Exception.ToString().Contains("RaftMq.Consensus.Transport", StringComparison.Ordinal)) unobserved.Enqueue(e.Exception);
        }
        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            await using (var group = new TransportGroup(3))
            {
                var nodes = new[] { await group.Start("n0"), await group.Start("n1"), await group.Start("n2") };
                for (int i = 0; i < 500; i++)
                    foreach (var (node, self) in nodes.Select((n, k) => (n, k)))
                        node.TrySend($"n{(self + 1) % 3}", new byte[i % 300]);
                await Eventually.ReadOne(nodes[1]);
                await nodes[1].StopAsync(CancellationToken.None); // mid-traffic, while others still write to it
                await Eventually.WaitUntil(() => group.Count("n0", "disconnected", "n1") == 1, "n0 noticed n1 stopping");
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.Empty(unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }
    }

    [Fact]
    public async Task A_transport_starts_only_once()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        await Assert.ThrowsAsync<InvalidOperationException>(() => n0.StartAsync(CancellationToken.None));
    }
}
