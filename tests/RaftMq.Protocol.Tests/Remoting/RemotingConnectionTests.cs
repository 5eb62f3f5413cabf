using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;
using static RaftMq.Protocol.Tests.Remoting.RemotingTestKit;

namespace RaftMq.Protocol.Tests.Remoting;

public class RemotingConnectionTests
{
    [Fact]
    public async Task Malformed_frame_closes_only_that_connection()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, DelegateHandler.Echo()));
        await kit.InvokeAsync(Request(100, "before"));
        var closed = new TaskCompletionSource<RemotingConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        kit.Server.ConnectionClosed += connection => closed.TrySetResult(connection);
        using var raw = await ConnectRawAsync(kit);

        await raw.SendAsync(new byte[] { 0, 0, 0, 6, 7, 0, 0, 2, (byte)'{', (byte)'}' }); // serialize type 7
        var gone = await closed.Task.WaitAsync(Deadline);

        Assert.Equal(0, await raw.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(Deadline));
        Assert.Equal(raw.LocalEndPoint, gone.RemoteEndPoint);
        // The diagnostic can be recorded after the client saw the close or the answer: wait for it.
        await RemotingTestKit.WaitUntilAsync(() => kit.ServerEvents.Any(e => e.Kind == RemotingDiagnosticKind.MalformedFrame), "the server recorded MalformedFrame");
        Assert.Equal("after", (await kit.InvokeAsync(Request(100, "after"))).ExtFields["value"]);
    }

    [Fact]
    public async Task Ali_ons_style_json_request_gets_a_strict_json_response_on_the_wire()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(RequestCode.QueryConsumerOffset, new DelegateHandler((_, request) =>
        {
            var response = request.CreateResponse(0);
            response.ExtFields.Set("offset", request.ExtFields["queueId"] == "0" ? "12" : "-1");
            return ValueTask.FromResult<RemotingCommand?>(response);
        })));
        using var raw = await ConnectRawAsync(kit);
        byte[] header = Encoding.UTF8.GetBytes(
            "{\"code\":14,\"language\":\"JAVA\",\"version\":121,\"opaque\":77,\"flag\":0,\"remark\":null," +
            "\"extFields\":{\"topic\":\"T\",\"consumerGroup\":\"CG\",\"queueId\":0}}");
        byte[] frame = new byte[8 + header.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 4 + header.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), header.Length);
        header.CopyTo(frame, 8);

        await raw.SendAsync(frame);
        byte[] reply = await ReceiveFrameAsync(raw);

        Assert.Equal(0, reply[0]); // serialize type JSON, so an unmasked header length read still works
        using var json = JsonDocument.Parse(reply.AsMemory(4));
        Assert.Equal(77, json.RootElement.GetProperty("opaque").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("flag").GetInt32());
        Assert.Equal("12", json.RootElement.GetProperty("extFields").GetProperty("offset").GetString());
    }

    [Fact]
    public async Task Server_initiated_requests_reach_the_client_handler()
    {
        var contexts = new TaskCompletionSource<RemotingContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(RequestCode.HeartBeat, new DelegateHandler((context, request) =>
        {
            contexts.TrySetResult(context);
            return ValueTask.FromResult<RemotingCommand?>(request.CreateResponse(0));
        })));
        var checks = new TaskCompletionSource<RemotingCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        kit.Client.RegisterHandler(RequestCode.CheckTransactionState, new DelegateHandler((_, request) =>
        {
            checks.TrySetResult(request);
            return ValueTask.FromResult<RemotingCommand?>(null);
        }));
        kit.Client.RegisterHandler(RequestCode.GetConsumerRunningInfo, DelegateHandler.Echo());
        await kit.InvokeAsync(Request(RequestCode.HeartBeat));
        var producer = await contexts.Task.WaitAsync(Deadline);

        await producer.SendOnewayAsync(Request(RequestCode.CheckTransactionState, "half"));
        var check = await checks.Task.WaitAsync(Deadline);
        var info = await producer.InvokeAsync(Request(RequestCode.GetConsumerRunningInfo, "info"), Deadline);

        Assert.True(check.IsOneway);
        Assert.Equal("half", check.ExtFields["value"]);
        Assert.Equal("info", info.ExtFields["value"]);
    }

    [Fact]
    public async Task Timeout_fails_only_the_late_request_and_keeps_the_connection()
    {
        var releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server =>
        {
            server.RegisterHandler(100, new DelegateHandler((_, _) => ValueTask.FromResult<RemotingCommand?>(null))); // never answers
            server.RegisterHandler(101, new DelegateHandler(async (_, request) =>
            {
                await releaseSlow.Task;
                return request.CreateResponse(0);
            }));
        });
        var inFlight = kit.InvokeAsync(Request(101));

        var timeout = await Assert.ThrowsAsync<RemotingTimeoutException>(
            () => kit.Client.InvokeAsync(kit.Address, Request(100), TimeSpan.FromMilliseconds(200)));
        releaseSlow.SetResult();

        Assert.Equal(kit.Address, timeout.Address);
        Assert.Equal(ResponseCode.Success, (await inFlight.WaitAsync(Deadline)).Code);
        Assert.Equal(1, kit.Server.ConnectionCount);
    }

    [Fact]
    public async Task Connect_failure_is_reported_as_a_connect_exception()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound but not listening: connections are refused
        await using var client = new RemotingClient();

        var error = await Assert.ThrowsAsync<RemotingConnectException>(
            () => client.InvokeAsync($"127.0.0.1:{closedPort}", Request(100), Deadline));

        Assert.Equal($"127.0.0.1:{closedPort}", error.Address);
        await Assert.ThrowsAsync<RemotingConnectException>(() => client.InvokeAsync("no-port", Request(100), Deadline));
    }

    [Fact]
    public async Task Closing_a_connection_fails_its_pending_requests_and_raises_closed_events()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, new DelegateHandler((_, _) =>
        {
            received.TrySetResult();
            return ValueTask.FromResult<RemotingCommand?>(null);
        })));
        var serverSaw = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        kit.Server.ConnectionClosed += _ => serverSaw.TrySetResult();
        var pending = kit.InvokeAsync(Request(100));
        await received.Task.WaitAsync(Deadline);

        kit.Client.CloseConnection(kit.Address);

        await Assert.ThrowsAsync<RemotingSendException>(() => pending.WaitAsync(Deadline));
        await serverSaw.Task.WaitAsync(Deadline);
        Assert.Equal(0, kit.Server.ConnectionCount);
    }

    [Fact]
    public async Task A_server_that_answered_before_closing_gets_no_tls_hint_but_one_that_closes_silently_does()
    {
        await using var kit = new RemotingTestKit(server =>
        {
            server.RegisterHandler(100, DelegateHandler.Echo());
            server.RegisterHandler(101, new DelegateHandler((context, _) =>
            {
                context.Connection.Close("closed by the test");
                return ValueTask.FromResult<RemotingCommand?>(null);
            }));
        });
        await kit.InvokeAsync(Request(100, "answered"));

        var afterAnswer = await Assert.ThrowsAsync<RemotingSendException>(() => kit.InvokeAsync(Request(101)));

        Assert.DoesNotContain(RemotingConnection.TlsHint, afterAnswer.Message, StringComparison.Ordinal);
        var silent = await Assert.ThrowsAsync<RemotingSendException>(() => kit.InvokeAsync(Request(101)));
        Assert.Contains(RemotingConnection.TlsHint, silent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_concurrent_requests_on_one_connection_all_get_their_own_response()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, DelegateHandler.Echo()));

        var calls = Enumerable.Range(0, 500).Select(i => kit.InvokeAsync(Request(100, i.ToString()))).ToArray();
        var responses = await Task.WhenAll(calls).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString()), responses.Select(r => r.ExtFields["value"]));
        Assert.Equal(1, kit.Server.ConnectionCount);
    }

    private static async Task<Socket> ConnectRawAsync(RemotingTestKit kit)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(kit.Server.LocalEndPoint);
        return socket;
    }

    /// <summary>Reads one frame and returns it without the length prefix.</summary>
    private static async Task<byte[]> ReceiveFrameAsync(Socket socket)
    {
        byte[] prefix = await ReceiveExactlyAsync(socket, 4);
        byte[] rest = await ReceiveExactlyAsync(socket, BinaryPrimitives.ReadInt32BigEndian(prefix));
        int headerLength = BinaryPrimitives.ReadInt32BigEndian(rest) & 0xFFFFFF;
        return rest[..(4 + headerLength)];
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Deadline);
            if (n == 0) throw new IOException("connection closed");
            read += n;
        }
        return buffer;
    }
}
