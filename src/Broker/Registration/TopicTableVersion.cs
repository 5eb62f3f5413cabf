using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Registration;

/// <summary>
/// Gives the broker's topic table the <see cref="DataVersion"/> name servers compare: the counter moves whenever the
/// set of topic configurations differs from the last one stamped, so a name server re-reads queue data exactly when
/// something changed. The timestamp is taken when the table was first seen, so a restarted broker never repeats an
/// old version.
/// </summary>
internal sealed class TopicTableVersion
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private TopicConfig[]? _lastTable;
    private DataVersion _version = new();

    public TopicTableVersion(TimeProvider time) => _time = time;

    /// <summary>The topic table in its wire form with its current version.</summary>
    public TopicConfigSerializeWrapper Stamp(IReadOnlyCollection<TopicConfig> topics)
    {
        var table = topics.OrderBy(topic => topic.Name, StringComparer.Ordinal).ToArray();
        DataVersion version;
        lock (_gate)
        {
            if (_lastTable is null)
            {
                _version = new DataVersion { Counter = 0, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() };
            }
            else if (!_lastTable.SequenceEqual(table))
            {
                _version = new DataVersion { Counter = _version.Counter + 1, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() };
            }
            _lastTable = table;
            version = _version with { };
        }
        var wrapper = new TopicConfigSerializeWrapper { DataVersion = version };
        foreach (var topic in table) wrapper.TopicConfigTable[topic.Name] = topic;
        return wrapper;
    }
}
