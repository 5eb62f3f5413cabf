using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Forwarding;
using RaftMq.Broker.Tests.Processors;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Forwarding;

/// <summary>A follower's forwarding layer in front of the real processors, against a stand-in leader and name server.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private readonly StandInLeader _leader = new();
    private BrokerTestKit _kit = null!;
    private LeaderForwarder _forwarder = null!;

    public async Task InitializeAsync()
    {
        await _leader.StartAsync();
        _kit = new BrokerTestKit();
        _kit.Store.AddTopic("T");
        _kit.Store.IsWritable = false;
        _kit.Leadership.State = new SoftState(RaftRole.Follower, 4, "n1");
    }

    public async Task DisposeAsync()
    {
        await _kit.DisposeAsync();
        if (_forwarder is not null) await _forwarder.DisposeAsync();
        await _leader.DisposeAsync();
    }

    private void Forward(ForwardingOptions? options = null)
    {
        _forwarder = new LeaderForwarder(options ?? new ForwardingOptions(), [_leader.Address], "RaftNode00", _kit.Address, NullLogger.Instance);
        foreach (int code in ForwardingHandler.ForwardedCodes)
        {
            _kit.Server.WrapHandler(code, local => new ForwardingHandler(local, _kit.Store, _kit.Leadership, _forwarder, new HandOverWatch()));
        }
    }

    [Fact]
    public async Task A_follower_answers_a_send_with_the_leaders_reply_and_the_leader_hint()
    {
        Forward();
        var response = await _kit.InvokeAsync(SendV2("T", [1, 2, 3]));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal("7F00000100007A69000000000000002A", response.ExtFields["msgId"]);
        Assert.Equal("42", response.ExtFields["queueOffset"]);
        Assert.Equal(_leader.Address, response.ExtFields[RaftMqExtFields.LeaderAddress]);
        var forwarded = Assert.Single(_leader.Sends);
        Assert.Equal(_kit.Address, forwarded.ExtFields[RaftMqExtFields.ForwardedBy]);
        Assert.Equal(new byte[] { 1, 2, 3 }, forwarded.Body.ToArray());
        Assert.Equal(0, _kit.Store.PutCalls);
    }

    [Fact]
    public async Task A_forward_the_leader_does_not_answer_in_time_is_answered_unknown_and_sent_once()
    {
        Forward(new ForwardingOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        _leader.Hold = true;
        var response = await _kit.InvokeAsync(SendV2("T", [1]));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.StartsWith("unknown outcome", response.Remark, StringComparison.Ordinal);
        Assert.Single(_leader.Sends);
    }

    [Fact]
    public async Task Forwards_beyond_the_in_flight_bound_are_refused_busy_at_once()
    {
        Forward(new ForwardingOptions { MaxInFlightRequests = 1, Timeout = TimeSpan.FromSeconds(20) });
        _leader.Hold = true;
        var first = _kit.InvokeAsync(SendV2("T", [1]));
        await WaitUntilAsync(() => _leader.Sends.Count == 1);
        var second = await _kit.InvokeAsync(SendV2("T", [2]));

        Assert.Equal(ResponseCode.SystemBusy, second.Code);
        Assert.Single(_leader.Sends);
        _leader.Release();
        Assert.Equal(ResponseCode.Success, (await first).Code);
    }

    [Fact]
    public async Task A_follower_that_knows_no_leader_answers_not_master_at_once()
    {
        Forward();
        _kit.Leadership.State = new SoftState(RaftRole.Follower, 5, null);
        var response = await _kit.InvokeAsync(SendV2("T", [1]));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark, StringComparison.Ordinal);
        Assert.Empty(_leader.Sends);
    }

    [Fact]
    public async Task A_request_that_was_forwarded_once_is_never_forwarded_again()
    {
        Forward();
        var request = SendV2("T", [1]);
        request.ExtFields.Set(RaftMqExtFields.ForwardedBy, "127.0.0.1:1");
        var response = await _kit.InvokeAsync(request);

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Empty(_leader.Sends);
    }

    [Fact]
    public async Task Without_forwarding_a_follower_answers_not_master()
    {
        var response = await _kit.InvokeAsync(SendV2("T", [1]));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Empty(_leader.Sends);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    /// <summary>A leader and name server in one: answers GET_BROKER_CLUSTER_INFO with itself as broker id 0 of
    /// RaftNode00, and sends with a fixed SEND_OK reply (or holds them until released).</summary>
    private sealed class StandInLeader : IRemotingRequestHandler, IAsyncDisposable
    {
        private readonly RemotingServer _server = new(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<RemotingCommand> Sends { get; } = new();

        public bool Hold { get; set; }

        public string Address => $"127.0.0.1:{_server.LocalEndPoint.Port}";

        public async Task StartAsync()
        {
            _server.RegisterHandler(RequestCode.GetBrokerClusterInfo, this);
            _server.RegisterHandler(RequestCode.SendMessageV2, this);
            await _server.StartAsync();
        }

        public void Release() => _released.TrySetResult();

        public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            if (request.Code == RequestCode.GetBrokerClusterInfo)
            {
                var info = new ClusterInfo();
                info.BrokerAddrTable["RaftNode00"] = new BrokerData { BrokerName = "RaftNode00", BrokerAddrs = { [0] = Address, [1] = "127.0.0.1:9" } };
                return new RemotingCommand { Code = ResponseCode.Success, Body = ProtocolJson.Encode(info) };
            }
            Sends.Enqueue(request);
            if (Hold) await _released.Task.WaitAsync(cancellationToken);
            var reply = request.CreateResponse(ResponseCode.Success);
            reply.ExtFields.Set("msgId", "7F00000100007A69000000000000002A");
            reply.ExtFields.Set("queueId", "0");
            reply.ExtFields.Set("queueOffset", "42");
            return reply;
        }

        public async ValueTask DisposeAsync()
        {
            Release();
            await _server.DisposeAsync();
        }
    }
}
