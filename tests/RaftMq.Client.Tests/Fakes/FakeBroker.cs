using System.Collections.Concurrent;
using System.Net;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Tests.Fakes;

/// <summary>
/// An in-memory RocketMQ broker on 127.0.0.1 implementing the codes the client uses, faithfully to the wire spec:
/// send (310/10/320), pull with long polling (11), offsets (14/15/29/30/31), heartbeat and consumer list (34/35/38,
/// NOTIFY_CONSUMER_IDS_CHANGED 40 on membership change), send-back (36), locks (41/42), topics (17/215), runtime
/// info (28) and a leadership-transfer code. Delay levels are recorded but not waited for; a group without a committed
/// offset gets QUERY_NOT_FOUND (22), like a Java broker for a queue whose start is no longer in memory. Test knobs make it answer
/// "not master", refuse send-backs, or delay replies.
/// </summary>
internal sealed partial class FakeBroker : IAsyncDisposable
{
    public const string ClusterName = "DefaultCluster";

    private readonly Lock _lock = new();
    private readonly RemotingServer _server;
    private readonly FakeNameServer _nameServer;
    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, int QueueId), List<byte[]>> _queues = [];
    private readonly Dictionary<long, byte[]> _commitLog = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _longPollTimer;
    private long _nextPhysicalOffset;

    public FakeBroker(FakeNameServer nameServer, string brokerName, long brokerId = 0)
    {
        _nameServer = nameServer;
        BrokerName = brokerName;
        _server = new RemotingServer(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        RegisterHandlers();
        _server.ConnectionClosed += OnConnectionClosed;
        _server.StartAsync().GetAwaiter().GetResult();
        Address = $"127.0.0.1:{_server.LocalEndPoint.Port}";
        StoreHost = MessageHost.Parse(Address);
        nameServer.RegisterBroker(ClusterName, brokerName, brokerId, Address);
        _longPollTimer = Task.Run(ExpireLongPollsAsync);
    }

    public string BrokerName { get; }

    public string Address { get; }

    public MessageHost StoreHost { get; }

    /// <summary>Answer sends with SERVICE_NOT_AVAILABLE "not master" (a Raft follower after failover).</summary>
    public bool NotMaster { get; set; }

    /// <summary>Answer sends with this code instead of storing (0 = store normally).</summary>
    public int SendFailureCode { get; set; }

    /// <summary>Delay before answering a send (to provoke client timeouts).</summary>
    public TimeSpan SendReplyDelay { get; set; }

    /// <summary>Answer CONSUMER_SEND_MSG_BACK with SYSTEM_ERROR.</summary>
    public bool RefuseSendBack { get; set; }

    /// <summary>Auto-create unknown topics on send (autoCreateTopicEnable).</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Every request code received, in order.</summary>
    public ConcurrentQueue<int> ReceivedCodes { get; } = new();

    /// <summary>Delay levels the broker was asked for (sends with DELAY, send-backs).</summary>
    public ConcurrentQueue<int> RequestedDelayLevels { get; } = new();

    /// <summary>Last admin request with the leadership transfer code.</summary>
    public RemotingCommand? LastLeadershipTransfer { get; private set; }

    public int Count(int code) => ReceivedCodes.Count(c => c == code);

    /// <summary>Creates (or resizes) a topic and registers its route with the name server.</summary>
    public void CreateTopic(string topic, int queues)
    {
        lock (_lock) _topics[topic] = queues;
        _nameServer.RegisterTopic(BrokerName, topic, queues);
    }

    public bool HasTopic(string topic)
    {
        lock (_lock) return _topics.ContainsKey(topic);
    }

    /// <summary>Stored records of one queue, decoded.</summary>
    public List<DecodedMessage> Messages(string topic, int queueId)
    {
        lock (_lock)
        {
            return _queues.TryGetValue((topic, queueId), out var records)
                ? records.Select(r => StoredMessageView.Read(r).ToDecodedMessage()).ToList()
                : [];
        }
    }

    /// <summary>Stored records of every queue of a topic.</summary>
    public List<DecodedMessage> Messages(string topic)
    {
        var all = new List<DecodedMessage>();
        int queues;
        lock (_lock) queues = _topics.GetValueOrDefault(topic);
        for (int i = 0; i < queues; i++) all.AddRange(Messages(topic, i));
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _longPollTimer;
        await _server.DisposeAsync();
    }

    private void RegisterHandlers()
    {
        Register(RequestCode.SendMessageV2, Send);
        Register(RequestCode.SendMessage, Send);
        Register(RequestCode.SendBatchMessage, Send);
        Register(RequestCode.PullMessage, Pull);
        Register(RequestCode.QueryConsumerOffset, QueryConsumerOffset);
        Register(RequestCode.UpdateConsumerOffset, UpdateConsumerOffset);
        Register(RequestCode.SearchOffsetByTimestamp, SearchOffset);
        Register(RequestCode.GetMaxOffset, MaxOffset);
        Register(RequestCode.GetMinOffset, MinOffset);
        Register(RequestCode.HeartBeat, Heartbeat);
        Register(RequestCode.UnregisterClient, UnregisterClient);
        Register(RequestCode.GetConsumerListByGroup, ConsumerList);
        Register(RequestCode.ConsumerSendMsgBack, SendBack);
        Register(RequestCode.LockBatchMq, LockBatch);
        Register(RequestCode.UnlockBatchMq, UnlockBatch);
        Register(RequestCode.UpdateAndCreateTopic, CreateTopicRequest);
        Register(RequestCode.DeleteTopicInBroker, DeleteTopicRequest);
        Register(RequestCode.GetBrokerRuntimeInfo, RuntimeInfo);
        Register(global::RaftMq.Client.Admin.AdminRequestCodes.TransferLeadership, TransferLeadership);
    }

    private void Register(int code, Func<RemotingContext, RemotingCommand, RemotingCommand?> handler) =>
        _server.RegisterHandler(code, new DelegateHandler((context, request) =>
        {
            ReceivedCodes.Enqueue(request.Code);
            return handler(context, request);
        }));

    private RemotingCommand TransferLeadership(RemotingContext context, RemotingCommand request)
    {
        LastLeadershipTransfer = request;
        return request.CreateResponse(ResponseCode.Success);
    }
}
