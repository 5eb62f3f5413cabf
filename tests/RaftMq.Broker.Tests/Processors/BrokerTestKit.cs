using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Tests.Processors.Fakes;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>The broker's processors on a real RemotingServer (127.0.0.1, free port) over a fake store, and a client.</summary>
internal sealed class BrokerTestKit : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    public static readonly MessageHost StoreHost = MessageHost.Parse("10.1.2.3:30911");

    public BrokerTestKit(Func<ProcessorOptions, ProcessorOptions>? configure = null, TimeProvider? time = null,
        RaftMq.Broker.Processors.Send.ISlaveReplication? syncMaster = null)
    {
        var options = new ProcessorOptions { ClusterName = "RaftCluster", BrokerName = "RaftNode00", StoreHost = StoreHost };
        Options = configure?.Invoke(options) ?? options;
        Processors = new BrokerProcessors(Store, Leadership, Options, time ?? TimeProvider.System, NullLoggerFactory.Instance, syncMaster);
        Server = new RemotingServer(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        Processors.RegisterOn(Server);
        Processors.Start();
        Server.StartAsync().GetAwaiter().GetResult();
        Address = $"127.0.0.1:{Server.LocalEndPoint.Port}";
        Client = NewClient();
    }

    public FakeMessageStore Store { get; } = new();

    public FakeLeadership Leadership { get; } = new();

    public ProcessorOptions Options { get; }

    public BrokerProcessors Processors { get; }

    public RemotingServer Server { get; }

    public RemotingClient Client { get; }

    public string Address { get; }

    private readonly List<RemotingClient> _extraClients = [];

    /// <summary>Another client (another connection), disposed with the kit.</summary>
    public RemotingClient NewClient()
    {
        var client = new RemotingClient();
        _extraClients.Add(client);
        return client;
    }

    public Task<RemotingCommand> InvokeAsync(RemotingCommand request, RemotingClient? client = null) =>
        (client ?? Client).InvokeAsync(Address, request, Deadline);

    public static RemotingCommand SendV2(string topic, byte[] body, string? properties = "TAGS\u0001TagA\u0002KEYS\u0001k1", int queueId = 0,
        int sysFlag = 0, int? reconsumeTimes = null, int? maxReconsumeTimes = null, int defaultQueueNums = 4, int code = RequestCode.SendMessageV2)
    {
        var header = new SendMessageRequestHeader
        {
            ProducerGroup = "PG",
            Topic = topic,
            DefaultTopic = SystemNames.AutoCreateTopicKeyTopic,
            DefaultTopicQueueNums = defaultQueueNums,
            QueueId = queueId,
            SysFlag = sysFlag,
            BornTimestamp = 1_700_000_000_000,
            Flag = 7,
            Properties = properties,
            ReconsumeTimes = reconsumeTimes,
            MaxReconsumeTimes = maxReconsumeTimes,
            Batch = code == RequestCode.SendBatchMessage,
        };
        var request = RemotingCommand.CreateRequest(code);
        if (code == RequestCode.SendMessage) header.ToExtFields(request.ExtFields);
        else header.ToV2ExtFields(request.ExtFields);
        request.Body = body;
        return request;
    }

    public static RemotingCommand Pull(string topic, int queueId, long offset, int sysFlag = PullSysFlag.Subscription,
        string subscription = "*", long suspendMillis = 15_000, long commitOffset = -1, string group = "CG", string? expressionType = null)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.PullMessage);
        new PullMessageRequestHeader
        {
            ConsumerGroup = group,
            Topic = topic,
            QueueId = queueId,
            QueueOffset = offset,
            MaxMsgNums = 32,
            SysFlag = sysFlag,
            CommitOffset = commitOffset,
            SuspendTimeoutMillis = suspendMillis,
            Subscription = subscription,
            SubVersion = 1,
            ExpressionType = expressionType,
        }.ToExtFields(request.ExtFields);
        return request;
    }

    public static RemotingCommand Heartbeat(string clientId, string group = "CG", string topic = "T", string subString = "*",
        string? expressionType = null)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.HeartBeat);
        request.Body = ProtocolJson.Encode(new HeartbeatData
        {
            ClientId = clientId,
            ConsumerDataSet =
            [
                new ConsumerData
                {
                    GroupName = group,
                    SubscriptionDataSet = [new SubscriptionData { Topic = topic, SubString = subString, SubVersion = 1, ExpressionType = expressionType }],
                },
            ],
            ProducerDataSet = [new ProducerData { GroupName = "PG" }],
        });
        return request;
    }

    public static RemotingCommand Request(int code, params (string Key, string Value)[] fields)
    {
        var request = RemotingCommand.CreateRequest(code);
        foreach (var (key, value) in fields) request.ExtFields.Set(key, value);
        return request;
    }

    public static PullMessageResponseHeader PullHeader(RemotingCommand response) => PullMessageResponseHeader.FromExtFields(response.ExtFields);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _extraClients) await client.DisposeAsync();
        await Server.DisposeAsync();
        await Processors.DisposeAsync();
    }
}

/// <summary>Records requests a server sends to a client (NOTIFY_CONSUMER_IDS_CHANGED).</summary>
internal sealed class RecordingHandler : IRemotingRequestHandler
{
    public ConcurrentQueue<RemotingCommand> Received { get; } = new();

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return ValueTask.FromResult<RemotingCommand?>(null);
    }
}
