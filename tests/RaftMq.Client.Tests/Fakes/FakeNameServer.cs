using System.Net;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Tests.Fakes;

/// <summary>
/// An in-memory name server on 127.0.0.1: broker groups (addresses by id) and topic queue data, answering
/// GET_ROUTEINFO_BY_TOPIC (105), GET_BROKER_CLUSTER_INFO (106), GET_ALL_TOPIC_LIST (206) and DELETE_TOPIC_IN_NAMESRV (216).
/// Brokers of the test register by direct calls instead of REGISTER_BROKER.
/// </summary>
internal sealed class FakeNameServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly RemotingServer _server;
    private readonly Dictionary<string, BrokerData> _brokers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, QueueData>> _topics = new(StringComparer.Ordinal);
    private int _routeRequests;

    public FakeNameServer()
    {
        _server = new RemotingServer(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _server.RegisterHandler(RequestCode.GetRouteInfoByTopic, new DelegateHandler(Route));
        _server.RegisterHandler(RequestCode.GetBrokerClusterInfo, new DelegateHandler(ClusterInfo));
        _server.RegisterHandler(RequestCode.GetAllTopicListFromNameServer, new DelegateHandler(TopicList));
        _server.RegisterHandler(RequestCode.DeleteTopicInNamesrv, new DelegateHandler(DeleteTopic));
        _server.StartAsync().GetAwaiter().GetResult();
        Address = $"127.0.0.1:{_server.LocalEndPoint.Port}";
    }

    public string Address { get; }

    /// <summary>GET_ROUTEINFO_BY_TOPIC requests answered so far.</summary>
    public int RouteRequests => Volatile.Read(ref _routeRequests);

    /// <summary>Sets the address of broker id <paramref name="brokerId"/> of a group (0 = master), replacing any id that had this address.</summary>
    public void RegisterBroker(string cluster, string brokerName, long brokerId, string address)
    {
        lock (_lock)
        {
            if (!_brokers.TryGetValue(brokerName, out var broker))
            {
                broker = new BrokerData { BrokerName = brokerName, Cluster = cluster };
                _brokers[brokerName] = broker;
            }
            foreach (var stale in broker.BrokerAddrs.Where(a => a.Value == address).Select(a => a.Key).ToList()) broker.BrokerAddrs.Remove(stale);
            broker.BrokerAddrs[brokerId] = address;
        }
    }

    /// <summary>Removes one id of a group (e.g. the master while a new leader is elected).</summary>
    public void UnregisterBroker(string brokerName, long brokerId)
    {
        lock (_lock) _brokers.GetValueOrDefault(brokerName)?.BrokerAddrs.Remove(brokerId);
    }

    public void RegisterTopic(string brokerName, string topic, int queues, int perm = PermName.ReadWrite)
    {
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var byBroker)) _topics[topic] = byBroker = new(StringComparer.Ordinal);
            byBroker[brokerName] = new QueueData { BrokerName = brokerName, Perm = perm, ReadQueueNums = queues, WriteQueueNums = queues };
        }
    }

    public void RemoveTopic(string brokerName, string topic)
    {
        lock (_lock)
        {
            if (_topics.TryGetValue(topic, out var byBroker) && byBroker.Remove(brokerName) && byBroker.Count == 0) _topics.Remove(topic);
        }
    }

    public bool HasTopic(string topic)
    {
        lock (_lock) return _topics.ContainsKey(topic);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private RemotingCommand Route(RemotingContext context, RemotingCommand request)
    {
        Interlocked.Increment(ref _routeRequests);
        string topic = GetRouteInfoRequestHeader.FromExtFields(request.ExtFields).Topic;
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var byBroker)) return request.CreateResponse(ResponseCode.TopicNotExist, "No topic route info in name server for the topic: " + topic);
            var route = new TopicRouteData();
            foreach (var (brokerName, queueData) in byBroker)
            {
                route.QueueDatas.Add(queueData);
                if (_brokers.TryGetValue(brokerName, out var broker))
                {
                    route.BrokerDatas.Add(new BrokerData { BrokerName = brokerName, Cluster = broker.Cluster, BrokerAddrs = new(broker.BrokerAddrs) });
                }
            }
            var response = request.CreateResponse(ResponseCode.Success);
            response.Body = ProtocolJson.Encode(route);
            return response;
        }
    }

    private RemotingCommand ClusterInfo(RemotingContext context, RemotingCommand request)
    {
        var info = new ClusterInfo();
        lock (_lock)
        {
            foreach (var broker in _brokers.Values)
            {
                info.BrokerAddrTable[broker.BrokerName] = new BrokerData { BrokerName = broker.BrokerName, Cluster = broker.Cluster, BrokerAddrs = new(broker.BrokerAddrs) };
                if (!info.ClusterAddrTable.TryGetValue(broker.Cluster, out var names)) info.ClusterAddrTable[broker.Cluster] = names = [];
                names.Add(broker.BrokerName);
            }
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(info);
        return response;
    }

    private RemotingCommand TopicList(RemotingContext context, RemotingCommand request)
    {
        var list = new TopicList();
        lock (_lock) list.Topics.AddRange(_topics.Keys.Order(StringComparer.Ordinal));
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(list);
        return response;
    }

    private RemotingCommand DeleteTopic(RemotingContext context, RemotingCommand request)
    {
        lock (_lock) _topics.Remove(request.ExtFields["topic"] ?? "");
        return request.CreateResponse(ResponseCode.Success);
    }
}

/// <summary>A request handler made from a synchronous delegate.</summary>
internal sealed class DelegateHandler(Func<RemotingContext, RemotingCommand, RemotingCommand?> handle) : IRemotingRequestHandler
{
    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(handle(context, request));
}
