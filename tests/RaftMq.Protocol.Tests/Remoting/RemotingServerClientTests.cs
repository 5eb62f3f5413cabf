using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;
using static RaftMq.Protocol.Tests.Remoting.RemotingTestKit;

namespace RaftMq.Protocol.Tests.Remoting;

public class RemotingServerClientTests
{
    [Fact]
    public async Task Request_gets_a_response_with_its_opaque_and_the_response_flag()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, DelegateHandler.Echo()));
        var request = Request(100, "hello");
        request.Body = new byte[] { 1, 2, 3 };

        var response = await kit.InvokeAsync(request);

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(request.Opaque, response.Opaque);
        Assert.True(response.IsResponse);
        Assert.Equal("hello", response.ExtFields["value"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, response.Body.ToArray());
    }

    [Fact]
    public async Task Response_uses_the_serialize_type_of_the_request()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, DelegateHandler.Echo()));
        var request = Request(100, "binary");
        request.SerializeType = SerializeType.RocketMq;

        var response = await kit.InvokeAsync(request);

        Assert.Equal(SerializeType.RocketMq, response.SerializeType);
        Assert.Equal("binary", response.ExtFields["value"]);
    }

    [Fact]
    public async Task Responses_may_arrive_out_of_order()
    {
        var releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, new DelegateHandler(async (_, request) =>
        {
            if (request.ExtFields["value"] == "slow") await releaseSlow.Task;
            var response = request.CreateResponse(0);
            response.ExtFields.Set("value", request.ExtFields["value"]!);
            return response;
        })));

        var slow = kit.InvokeAsync(Request(100, "slow"));
        var fast = await kit.InvokeAsync(Request(100, "fast"));
        Assert.False(slow.IsCompleted);
        releaseSlow.SetResult();

        Assert.Equal("fast", fast.ExtFields["value"]);
        Assert.Equal("slow", (await slow.WaitAsync(Deadline)).ExtFields["value"]);
    }

    [Fact]
    public async Task Unknown_code_is_answered_with_request_code_not_supported()
    {
        await using var kit = new RemotingTestKit();

        var response = await kit.InvokeAsync(Request(999));

        Assert.Equal(ResponseCode.RequestCodeNotSupported, response.Code);
        Assert.Equal(" request type 999 not supported", response.Remark);
    }

    [Fact]
    public async Task Full_processor_queue_answers_system_busy_at_once()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server =>
        {
            server.AddProcessorGroup(new ProcessorGroupOptions("tiny", WorkerCount: 1, QueueCapacity: 1));
            server.RegisterHandler(100, new DelegateHandler(async (_, request) =>
            {
                entered.TrySetResult();
                await gate.Task;
                return request.CreateResponse(0);
            }), "tiny");
        });

        var running = kit.InvokeAsync(Request(100));
        await entered.Task.WaitAsync(Deadline);
        // Frames of one connection are dispatched in order: the second request takes the only queue slot.
        var queued = kit.InvokeAsync(Request(100));
        var refused = await kit.InvokeAsync(Request(100));
        gate.SetResult();

        Assert.Equal(ResponseCode.SystemBusy, refused.Code);

        Assert.Equal(ResponseCode.Success, (await running.WaitAsync(Deadline)).Code);
        Assert.Equal(ResponseCode.Success, (await queued.WaitAsync(Deadline)).Code);
        // The diagnostic can be recorded after the client saw the close or the answer: wait for it.
        await RemotingTestKit.WaitUntilAsync(() => kit.ServerEvents.Any(e => e.Kind == RemotingDiagnosticKind.SystemBusy), "the server recorded SystemBusy");
    }

    [Fact]
    public async Task An_awaiting_handler_frees_its_worker_until_max_in_flight_requests_are_unanswered()
    {
        int entered = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server =>
        {
            server.AddProcessorGroup(new ProcessorGroupOptions("async", WorkerCount: 1, QueueCapacity: 1, MaxInFlight: 3));
            server.RegisterHandler(100, new DelegateHandler(async (_, request) =>
            {
                Interlocked.Increment(ref entered);
                await gate.Task;
                return request.CreateResponse(0);
            }), "async");
        });

        try
        {
            // One worker, yet three handlers wait at once: the worker moved on after each one's first await. (Sent one
            // by one: the queue holds a single request.)
            var started = new List<Task<RemotingCommand>>();
            for (int i = 1; i <= 3; i++)
            {
                started.Add(kit.InvokeAsync(Request(100)));
                int expected = i;
                await WaitUntilAsync(() => Volatile.Read(ref entered) == expected, $"{expected} handlers waiting on one worker");
            }
            // The bound is reached: the next request stays queued (the only slot), the one after is refused.
            var queued = kit.InvokeAsync(Request(100));
            var refused = await kit.InvokeAsync(Request(100));
            Assert.Equal(ResponseCode.SystemBusy, refused.Code);
            Assert.Equal(3, Volatile.Read(ref entered));

            gate.SetResult();
            foreach (var response in await Task.WhenAll(started.Append(queued)).WaitAsync(Deadline)) Assert.Equal(ResponseCode.Success, response.Code);
        }
        finally
        {
            gate.TrySetResult(); // a failed assertion must not leave handlers the server waits for at stop
        }
        Assert.Equal(4, Volatile.Read(ref entered));
    }

    [Fact]
    public async Task Both_ends_of_a_connection_probe_an_idle_peer_with_tcp_keepalive()
    {
        var opened = new TaskCompletionSource<RemotingConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server =>
        {
            server.RegisterHandler(100, DelegateHandler.Echo());
            server.ConnectionOpened += connection => opened.TrySetResult(connection);
        });

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Request(100, "x"))).Code);

        var serverSide = await opened.Task.WaitAsync(Deadline);
        Assert.Equal(TcpKeepAlive.IdleSeconds, serverSide.KeepAliveIdleSeconds);
        var clientSide = await kit.Client.GetConnectionAsync(kit.Address);
        Assert.Equal(TcpKeepAlive.IdleSeconds, clientSide.KeepAliveIdleSeconds);
    }

    [Fact]
    public async Task Handler_failure_becomes_system_error_with_the_reason()
    {
        await using var kit = new RemotingTestKit(server => server.RegisterHandler(100, new DelegateHandler((_, request) =>
        {
            var header = TopicQueueRequestHeader.FromExtFields(request.ExtFields); // the request has no topic
            return ValueTask.FromResult<RemotingCommand?>(request.CreateResponse(0, header.Topic));
        })));

        var response = await kit.InvokeAsync(Request(100));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("<topic>", response.Remark);
        // The diagnostic can be recorded after the client saw the close or the answer: wait for it.
        await RemotingTestKit.WaitUntilAsync(() => kit.ServerEvents.Any(e => e.Kind == RemotingDiagnosticKind.HandlerFailed), "the server recorded HandlerFailed");
    }

    [Fact]
    public async Task Oneway_request_is_handled_and_never_answered()
    {
        var received = new TaskCompletionSource<RemotingCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = new RemotingTestKit(server =>
        {
            server.RegisterHandler(15, new DelegateHandler((_, request) =>
            {
                received.TrySetResult(request);
                return ValueTask.FromResult<RemotingCommand?>(request.CreateResponse(0));
            }));
            server.RegisterHandler(100, DelegateHandler.Echo());
        });

        await kit.Client.InvokeOnewayAsync(kit.Address, Request(15, "offset"));
        var oneway = await received.Task.WaitAsync(Deadline);
        // Responses leave a connection in order, so a reply to the oneway request would arrive before this one.
        await kit.InvokeAsync(Request(100));

        Assert.True(oneway.IsOneway);
        Assert.DoesNotContain(kit.ClientEvents, e => e.Kind == RemotingDiagnosticKind.UnmatchedResponse);
    }
}
