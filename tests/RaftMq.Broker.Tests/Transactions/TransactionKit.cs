using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Tests.Processors;
using RaftMq.Broker.Tests.Processors.Fakes;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Tests.Transactions;

/// <summary>
/// The broker's processors over the real message store of a fake 3-node group (manual clock), on a real
/// RemotingServer, and a producer connection that records CHECK_TRANSACTION_STATE requests.
/// </summary>
internal sealed class TransactionKit : IAsyncDisposable
{
    private readonly bool _ownsHarness;

    /// <summary>A kit on the group's leader, or (with <paramref name="shared"/>) on node <paramref name="nodeId"/> of
    /// another kit's group, e.g. its next leader.</summary>
    public TransactionKit(int checkMax = 15, StoreHarness? shared = null, string? nodeId = null)
    {
        _ownsHarness = shared is null;
        Harness = shared ?? new StoreHarness("n0", "n1", "n2");
        var options = new ProcessorOptions
        {
            ClusterName = "RaftCluster", BrokerName = "RaftNode00", StoreHost = BrokerTestKit.StoreHost,
            TransactionTimeout = TimeSpan.FromSeconds(6), TransactionCheckInterval = TimeSpan.FromSeconds(60), TransactionCheckMax = checkMax,
        };
        Processors = new BrokerProcessors(nodeId is null ? Harness.Leader : Harness[nodeId], new FakeLeadership(), options, Harness.Time, NullLoggerFactory.Instance);
        Server = new RemotingServer(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        Processors.RegisterOn(Server);
        Server.StartAsync().GetAwaiter().GetResult();
        Address = $"127.0.0.1:{Server.LocalEndPoint.Port}";
        Producer.RegisterHandler(RequestCode.CheckTransactionState, new CheckRecorder(Checks));
    }

    public StoreHarness Harness { get; }

    public BrokerProcessors Processors { get; }

    public RemotingServer Server { get; }

    public RemotingClient Producer { get; } = new();

    public string Address { get; }

    public ConcurrentQueue<RemotingCommand> Checks { get; } = new();

    public Task<RemotingCommand> InvokeAsync(RemotingCommand request) => Producer.InvokeAsync(Address, request, BrokerTestKit.Deadline);

    /// <summary>Stores a half message for topic T; returns its physical and queue offsets.</summary>
    public async Task<(long CommitLogOffset, long QueueOffset)> PrepareAsync(string body = "m", string group = "PG", string? extraProperties = null)
    {
        string properties = $"TRAN_MSG\u0001true\u0002PGROUP\u0001{group}\u0002UNIQ_KEY\u0001{body}-id" + (extraProperties is null ? "" : "\u0002" + extraProperties);
        var response = await InvokeAsync(BrokerTestKit.SendV2("T", System.Text.Encoding.UTF8.GetBytes(body), properties: properties,
            sysFlag: MessageSysFlag.TransactionPreparedType));
        Assert.Equal(ResponseCode.Success, response.Code);
        var header = SendMessageResponseHeader.FromExtFields(response.ExtFields);
        return (OffsetMessageId.Decode(header.MsgId).PhysicalOffset, header.QueueOffset);
    }

    public static RemotingCommand End(long commitLogOffset, long queueOffset, int value, string group = "PG", bool fromCheck = false)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.EndTransaction);
        new EndTransactionRequestHeader
        {
            ProducerGroup = group, TranStateTableOffset = queueOffset, CommitLogOffset = commitLogOffset,
            CommitOrRollback = value, FromTransactionCheck = fromCheck, MsgId = "id",
        }.ToExtFields(request.ExtFields);
        return request;
    }

    /// <summary>Joins producer group PG on the producer connection (so checks have somewhere to go).</summary>
    public async Task RegisterProducerAsync()
    {
        var response = await InvokeAsync(BrokerTestKit.Heartbeat("producer-1"));
        Assert.Equal(ResponseCode.Success, response.Code);
    }

    /// <summary>The real-topic messages every replica serves (after catching up), asserting they agree.</summary>
    public List<DecodedMessage> Delivered(string topic = "T", int queueId = 0)
    {
        Harness.Group.CatchUpAll();
        List<DecodedMessage>? first = null;
        foreach (var store in Harness.All)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            store.GetMessages(topic, queueId, 0, 100, 1 << 20, null, buffer);
            var messages = TestMessages.Decode(buffer.WrittenSpan);
            if (first is null) first = messages;
            else Assert.Equal(first.Select(m => m.PhysicalOffset), messages.Select(m => m.PhysicalOffset));
        }
        return first!;
    }

    public async ValueTask DisposeAsync()
    {
        await Producer.DisposeAsync();
        await Server.DisposeAsync();
        await Processors.DisposeAsync();
        if (_ownsHarness) await Harness.DisposeAsync();
    }

    private sealed class CheckRecorder(ConcurrentQueue<RemotingCommand> checks) : IRemotingRequestHandler
    {
        public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            checks.Enqueue(request);
            return ValueTask.FromResult<RemotingCommand?>(null);
        }
    }
}

