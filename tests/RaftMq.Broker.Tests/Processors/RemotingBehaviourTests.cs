using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class RemotingBehaviourTests
{
    [Fact]
    public async Task Unknown_request_code_answers_request_code_not_supported()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Request(9_999));

        Assert.Equal(ResponseCode.RequestCodeNotSupported, response.Code);
    }

    [Fact]
    public async Task Malformed_frame_closes_that_connection_only_and_stores_nothing()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(new IPEndPoint(IPAddress.Loopback, kit.Server.LocalEndPoint.Port));
        var frame = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(frame, 8);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), 1000); // header longer than the frame
        await raw.SendAsync(frame);

        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(Deadline);
        int read = await raw.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.Equal(0, read);
        Assert.Equal(0, kit.Store.PutCalls);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1]))).Code);
    }

    [Fact]
    public async Task Send_answers_system_busy_when_the_send_queue_is_full()
    {
        await using var kit = new BrokerTestKit(o => o with { SendGroup = new ProcessorGroupOptions("send", WorkerCount: 1, QueueCapacity: 1) });
        kit.Store.AddTopic("T");
        kit.Store.PutGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = kit.InvokeAsync(SendV2("T", [1]));
        await WaitUntilAsync(() => kit.Store.PutCalls == 1, "the only worker is busy");
        var queued = kit.InvokeAsync(SendV2("T", [2]));
        var rejected = await kit.InvokeAsync(SendV2("T", [3]));

        Assert.Equal(ResponseCode.SystemBusy, rejected.Code);
        kit.Store.PutGate.SetResult();
        Assert.Equal(ResponseCode.Success, (await first).Code);
        Assert.Equal(ResponseCode.Success, (await queued).Code);
        Assert.Equal(2, kit.Store.TotalMessages);
    }

    [Fact]
    public async Task Malformed_header_fields_get_a_system_error_naming_the_field()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Request(RequestCode.GetMaxOffset, ("topic", "T"), ("queueId", "zero")));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("queueId", response.Remark);
    }
}
