using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Protocol.Tests.Remoting;

/// <summary>Slow, idle, greedy or garbled clients cost a server bounded memory and time, and hurt no one else.</summary>
public sealed class HostileConnectionTests
{
    private static RemotingServer StartServer(Func<RemotingServerOptions, RemotingServerOptions> configure)
    {
        var server = new RemotingServer(configure(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }));
        server.RegisterHandler(10, DelegateHandler.Echo());
        server.StartAsync().GetAwaiter().GetResult();
        return server;
    }

    private static async Task<Socket> ConnectAsync(RemotingServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint);
        return socket;
    }

    /// <summary>The first <paramref name="bytes"/> bytes of a frame announcing <paramref name="announced"/> bytes.</summary>
    private static byte[] PartialFrame(int announced, int bytes)
    {
        var data = new byte[bytes];
        BinaryPrimitives.WriteInt32BigEndian(data, announced);
        return data;
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(RemotingTestKit.Deadline);
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0) return true;
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Partial_frames_of_all_connections_stay_within_the_budget()
    {
        const int frameLimit = 1024 * 1024;
        await using var server = StartServer(o => o with { MaxFrameLengthBytes = frameLimit, MaxPartialFrameBytes = 2 * frameLimit });
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var socket = await ConnectAsync(server);
                sockets.Add(socket);
                await socket.SendAsync(PartialFrame(frameLimit - 4, frameLimit - 1024));
            }
            await RemotingTestKit.WaitUntilAsync(() => server.ConnectionCount <= 2, "connections past the budget are closed");
            Assert.True(server.PartialFrameBytes <= 2 * frameLimit);
            foreach (var socket in sockets) socket.Dispose();
            await RemotingTestKit.WaitUntilAsync(() => server.ConnectionCount == 0 && server.PartialFrameBytes == 0, "the budget is returned");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    [Fact]
    public async Task A_frame_that_does_not_complete_within_the_read_timeout_closes_its_connection()
    {
        await using var server = StartServer(o => o with { FrameReadTimeout = TimeSpan.FromMilliseconds(300), IdleTimeout = TimeSpan.Zero });
        using var socket = await ConnectAsync(server);
        await socket.SendAsync(PartialFrame(1000, 10));
        Assert.True(await ClosedByServerAsync(socket));
        await RemotingTestKit.WaitUntilAsync(() => server.ConnectionCount == 0 && server.PartialFrameBytes == 0, "the slow connection is gone");
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        await using var server = StartServer(o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = await ConnectAsync(server);
        Assert.True(await ClosedByServerAsync(socket));
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task Valid_frames_before_garbage_in_one_write_are_answered_before_the_connection_closes()
    {
        await using var server = StartServer(o => o);
        using var socket = await ConnectAsync(server);
        var first = RemotingTestKit.Request(10, "one");
        var second = RemotingTestKit.Request(10, "two");
        byte[] garbage = [0, 0, 0, 2, 9, 9];
        byte[] write = [.. FrameCodec.Encode(first), .. FrameCodec.Encode(second), .. garbage];
        await socket.SendAsync(write);

        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(RemotingTestKit.Deadline);
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) received.AddRange(buffer.AsSpan(0, read));

        var bytes = received.ToArray().AsSpan();
        var answers = new List<RemotingCommand>();
        while (bytes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes) + 4;
            answers.Add(FrameCodec.Decode(bytes[..length]));
            bytes = bytes[length..];
        }
        Assert.Equal(["one", "two"], answers.Select(a => a.ExtFields["value"]).Order());
    }

    [Fact]
    public async Task A_flood_of_garbage_frames_is_logged_a_few_times_without_stack_traces_and_counted()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<RemotingDiagnosticEvent>();
        await using var server = StartServer(o => o with { Diagnostics = events.Enqueue });
        for (int i = 0; i < 60; i++)
        {
            using var socket = await ConnectAsync(server);
            await socket.SendAsync(new byte[] { 0, 0, 0, 5, 7, 1, 2, 3, 4, 5 });
            Assert.True(await ClosedByServerAsync(socket));
        }
        var malformed = events.Where(e => e.Kind == RemotingDiagnosticKind.MalformedFrame).ToList();
        Assert.InRange(malformed.Count, 0, RefusalLogLimiterBurst);
        Assert.All(malformed, e => Assert.Null(e.Exception));
    }

    private const int RefusalLogLimiterBurst = 10;

    [Fact]
    public async Task A_peer_that_never_reads_its_answers_is_not_read_further()
    {
        await using var server = StartServer(o => o with { ConnectionWriteQueueCapacity = 8 });
        using var socket = await ConnectAsync(server);
        socket.ReceiveBufferSize = 4096;
        var request = RemotingTestKit.Request(10, "x");
        request.Body = new byte[64 * 1024];
        byte[] frame = FrameCodec.Encode(request);
        // Keep sending without reading: the server must stop reading once answers back up, so our sends stall.
        using var stall = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        long sent = 0;
        try
        {
            while (sent < 256L * 1024 * 1024) sent += await socket.SendAsync(frame, SocketFlags.None, stall.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(sent < 256L * 1024 * 1024, "the server kept reading requests whose answers nobody reads");
    }
}
