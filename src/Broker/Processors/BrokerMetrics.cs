using System.Diagnostics;
using System.Diagnostics.Metrics;
using RaftMq.Broker.Store;

namespace RaftMq.Broker.Processors;

/// <summary>
/// Meter "RaftMq.Broker": messages and bytes put and got per topic, send and pull latency, consumer group lag per queue
/// (on the leader, where offsets are committed), client connections. Every series carries the broker name
/// (<c>raftmq.broker</c>); docs/operations/metrics.md lists them with their Prometheus names.
/// </summary>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Broker";

    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    };

    private readonly Meter _meter = new(MeterName);
    private readonly IMessageStore _store;
    private readonly string _brokerName;
    private readonly Counter<long> _putMessages;
    private readonly Counter<long> _putBytes;
    private readonly Counter<long> _getMessages;
    private readonly Counter<long> _getBytes;
    private readonly Histogram<double> _sendLatency;
    private readonly Histogram<double> _pullLatency;
    private Func<int> _connections = static () => 0;

    public BrokerMetrics(IMessageStore store, string brokerName)
    {
        _store = store;
        _brokerName = brokerName;
        _putMessages = _meter.CreateCounter<long>("raftmq.broker.put.messages", "{message}", "Messages stored by sends (tag topic)");
        _putBytes = _meter.CreateCounter<long>("raftmq.broker.put.bytes", "By", "Stored bytes of the messages put (tag topic)");
        _getMessages = _meter.CreateCounter<long>("raftmq.broker.get.messages", "{message}", "Messages returned to pulls (tag topic)");
        _getBytes = _meter.CreateCounter<long>("raftmq.broker.get.bytes", "By", "Bytes of the messages returned to pulls (tag topic)");
        _sendLatency = _meter.CreateHistogram("raftmq.broker.send.duration", "ms",
            "From a send request's arrival to its SEND_OK (committed and applied)", advice: LatencyBuckets);
        _pullLatency = _meter.CreateHistogram("raftmq.broker.pull.duration", "ms",
            "Time to serve a pull once it runs (a parked pull's wait for messages is not included)", advice: LatencyBuckets);
        var tags = BrokerTag();
        _meter.CreateObservableGauge("raftmq.broker.consumer.lag", ObserveConsumerLag, "{message}",
            "On the leader: messages between a group's committed offset and the queue's max offset (tags group, topic, queue)");
        _meter.CreateObservableGauge("raftmq.broker.connections", () => new Measurement<int>(_connections(), tags), "{connection}",
            "Open client connections to this broker's remoting port");
        _meter.CreateObservableGauge("raftmq.broker.topics", () => new Measurement<int>(_store.Topics.Count, tags), "{topic}",
            "Topics this broker holds");
    }

    /// <summary>Where the connection count comes from (the remoting server, once it exists).</summary>
    public void ObserveConnections(Func<int> connections) => _connections = connections;

    public void Put(string topic, int messages, long bytes, long startedTimestamp)
    {
        var tags = TopicTags(topic);
        _putMessages.Add(messages, tags);
        _putBytes.Add(bytes, tags);
        _sendLatency.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, BrokerTag());
    }

    public void Got(string topic, int messages, long bytes)
    {
        var tags = TopicTags(topic);
        _getMessages.Add(messages, tags);
        _getBytes.Add(bytes, tags);
    }

    public void PullServed(long startedTimestamp) =>
        _pullLatency.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, BrokerTag());

    private IEnumerable<Measurement<long>> ObserveConsumerLag()
    {
        if (!_store.IsWritable) return [];
        var measurements = new List<Measurement<long>>();
        foreach (string group in _store.ConsumerGroups)
        {
            foreach (var ((topic, queueId), offset) in _store.ConsumerOffsets(group))
            {
                if (offset < 0) continue;
                var tags = TopicTags(topic);
                tags.Add("group", group);
                tags.Add("queue", queueId);
                measurements.Add(new Measurement<long>(Math.Max(0, _store.GetMaxOffset(topic, queueId) - offset), tags));
            }
        }
        return measurements;
    }

    private TagList BrokerTag() => new() { { "raftmq.broker", _brokerName } };

    private TagList TopicTags(string topic) => new() { { "raftmq.broker", _brokerName }, { "topic", topic } };

    public void Dispose() => _meter.Dispose();
}
