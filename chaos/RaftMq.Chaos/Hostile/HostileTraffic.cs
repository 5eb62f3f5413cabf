using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Codes;

namespace RaftMq.Chaos.Hostile;

/// <summary>The kinds of hostile client, each one connection (or a burst of them) doing one bad thing.</summary>
public enum HostileKind
{
    RandomBytes,
    GarbageHeader,
    ManyExtFields,
    HugeLength,
    SlowPartialFrame,
    IdleConnections,
    ValidThenGarbage,
    HugeGroupName,
    PoisonSend,
    ForgedRegistration,
    RaftGarbage,
    ForgedPeer,
}

/// <summary>
/// Hostile clients against every port of a cluster until stopped: a bounded number at a time, each drawn with a
/// seeded RNG. Answers are read and discarded (a refusal, a close or a reset are all fine); what matters is what
/// the cluster does meanwhile, which the run's workload and samplers judge. Bounded: at most
/// <see cref="Concurrency"/> attackers, slow frames give up after <see cref="SlowFrameHold"/>.
/// </summary>
public sealed class HostileTraffic : IAsyncDisposable
{
    public const int Concurrency = 4;
    public static readonly TimeSpan SlowFrameHold = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(500);

    private readonly HostileEndpoints _endpoints;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<HostileKind, int> _counts = new();
    private readonly Task _loop;

    private HostileTraffic(HostileEndpoints endpoints, int seed)
    {
        _endpoints = endpoints;
        _random = new Random(seed);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Starts attacking at once; <see cref="DisposeAsync"/> stops and waits for the attackers.</summary>
    public static HostileTraffic Start(HostileEndpoints endpoints, int seed) => new(endpoints, seed);

    /// <summary>How many attacks of each kind were made so far.</summary>
    public IReadOnlyDictionary<HostileKind, int> Counts => new Dictionary<HostileKind, int>(_counts);

    public string Describe() => string.Join(" ", Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var running = new List<Task>();
        var kinds = Enum.GetValues<HostileKind>();
        while (!_stop.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            if (running.Count >= Concurrency)
            {
                await Task.WhenAny(running).ConfigureAwait(false);
                continue;
            }
            HostileKind kind;
            int seed;
            lock (_random)
            {
                kind = kinds[_random.Next(kinds.Length)];
                seed = _random.Next();
            }
            _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            running.Add(AttackAsync(kind, new Random(seed), _stop.Token));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task AttackAsync(HostileKind kind, Random random, CancellationToken stop)
    {
        var node = _endpoints.Nodes[random.Next(_endpoints.Nodes.Count)];
        int remotingPort = random.Next(4) == 0 ? _endpoints.NameServerPort : node.BrokerPort;
        try
        {
            switch (kind)
            {
                case HostileKind.RandomBytes:
                    await SendAsync(random.Next(3) == 0 ? node.RaftPort : remotingPort, HostileFrames.RandomBytes(random, 8192), stop).ConfigureAwait(false);
                    break;
                case HostileKind.GarbageHeader:
                    await SendAsync(remotingPort, HostileFrames.GarbageJsonHeader(random), stop).ConfigureAwait(false);
                    break;
                case HostileKind.ManyExtFields:
                    await SendAsync(remotingPort, HostileFrames.ManyExtFields(RequestCode.HeartBeat, random.Next(10_000, 150_000)), stop).ConfigureAwait(false);
                    break;
                case HostileKind.HugeLength:
                    await SendAsync(remotingPort, HostileFrames.LengthPrefix(random.Next(2) == 0 ? HostileFrames.HugeLength : -5), stop).ConfigureAwait(false);
                    break;
                case HostileKind.SlowPartialFrame:
                    await SlowPartialFrameAsync(random, remotingPort, stop).ConfigureAwait(false);
                    break;
                case HostileKind.IdleConnections:
                    await IdleConnectionsAsync(random, remotingPort, stop).ConfigureAwait(false);
                    break;
                case HostileKind.ValidThenGarbage:
                    byte[] valid = HostileFrames.Valid(RequestCode.GetBrokerRuntimeInfo);
                    await SendAsync(node.BrokerPort, [.. valid, .. valid, .. HostileFrames.RandomBytes(random, 256)], stop).ConfigureAwait(false);
                    break;
                case HostileKind.HugeGroupName:
                    await SendAsync(remotingPort, HostileFrames.HugeField(RequestCode.GetConsumerListByGroup, "consumerGroup", 100_000), stop).ConfigureAwait(false);
                    break;
                case HostileKind.PoisonSend:
                    await SendAsync(node.BrokerPort, HostileFrames.PoisonSend(random, _endpoints.Topic), stop).ConfigureAwait(false);
                    break;
                case HostileKind.ForgedRegistration:
                    await SendAsync(_endpoints.NameServerPort, HostileFrames.ForgedMasterRegistration(_endpoints, "127.0.0.1:1"), stop).ConfigureAwait(false);
                    break;
                case HostileKind.RaftGarbage:
                    await SendAsync(node.RaftPort, HostileFrames.RaftGarbage(random), stop).ConfigureAwait(false);
                    break;
                case HostileKind.ForgedPeer:
                    var claimed = _endpoints.Nodes[random.Next(_endpoints.Nodes.Count)].Node;
                    await SendAsync(node.RaftPort, HostileFrames.ForgedPeerHello(random, _endpoints.BrokerName, claimed), stop).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // refused, reset, closed or stopped: all acceptable answers to a hostile client
        }
    }

    /// <summary>Connects, writes, reads whatever comes back for a moment, closes.</summary>
    private static async Task SendAsync(int port, byte[] bytes, CancellationToken stop)
    {
        using var socket = await ConnectAsync(port, stop).ConfigureAwait(false);
        await socket.SendAsync(bytes, SocketFlags.None, stop).ConfigureAwait(false);
        await DrainAnswerAsync(socket, stop).ConfigureAwait(false);
    }

    /// <summary>Announces a large frame, sends part of it, then trickles a byte a second until the hold is over.</summary>
    private static async Task SlowPartialFrameAsync(Random random, int port, CancellationToken stop)
    {
        using var socket = await ConnectAsync(port, stop).ConfigureAwait(false);
        int declared = 15 * 1024 * 1024;
        await socket.SendAsync(HostileFrames.LengthPrefix(declared), SocketFlags.None, stop).ConfigureAwait(false);
        var chunk = new byte[64 * 1024];
        random.NextBytes(chunk);
        int parts = random.Next(1, 64);
        for (int i = 0; i < parts; i++) await socket.SendAsync(chunk, SocketFlags.None, stop).ConfigureAwait(false);
        var until = DateTime.UtcNow + SlowFrameHold;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            await socket.SendAsync(chunk.AsMemory(0, 1), SocketFlags.None, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a burst of connections that never send anything, holds them, closes them.</summary>
    private static async Task IdleConnectionsAsync(Random random, int port, CancellationToken stop)
    {
        var sockets = new List<Socket>();
        try
        {
            int count = random.Next(10, 100);
            for (int i = 0; i < count; i++) sockets.Add(await ConnectAsync(port, stop).ConfigureAwait(false));
            await Task.Delay(SlowFrameHold, stop).ConfigureAwait(false);
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    private static async Task<Socket> ConnectAsync(int port, CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task DrainAnswerAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(AnswerWait);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // the server kept the connection open; that is its choice
        }
    }
}
