using Microsoft.Extensions.Logging;
using RaftMq.Client.Admin;

namespace RaftMq.Dashboard.Cluster;

/// <summary>
/// Remembers each broker group's master as seen in successive cluster overviews, and when it last changed. The brokers
/// report no leader-change time, so this is the change as observed by this dashboard (to within one refresh).
/// </summary>
public sealed class LeaderWatch(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GroupLeader> _groups = new(StringComparer.Ordinal);

    public void Observe(IReadOnlyList<BrokerNodeInfo> nodes, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var group in nodes.GroupBy(n => n.BrokerName, StringComparer.Ordinal))
            {
                string? leader = LeaderOf(group);
                if (leader is null) continue;
                if (!_groups.TryGetValue(group.Key, out var known))
                {
                    _groups[group.Key] = new GroupLeader(leader, now, null, Changes: 0);
                }
                else if (known.Current != leader)
                {
                    logger.LeaderChanged(group.Key, known.Current, leader);
                    _groups[group.Key] = new GroupLeader(leader, known.FirstSeen, now, known.Changes + 1) { Previous = known.Current };
                }
            }
        }
    }

    public GroupLeader? Find(string group)
    {
        lock (_gate) return _groups.GetValueOrDefault(group);
    }

    /// <summary>The Raft self id of the group's leader (the node registered as broker id 0, else the one reporting LEADER).</summary>
    private static string? LeaderOf(IEnumerable<BrokerNodeInfo> group)
    {
        var master = group.FirstOrDefault(n => n.BrokerId == 0);
        master ??= group.FirstOrDefault(n => n.RuntimeInfo?.GetValueOrDefault("raftRole") == "LEADER");
        return master is null ? null : master.RuntimeInfo?.GetValueOrDefault("raftSelfId") ?? master.Address;
    }
}

/// <summary>A group's leader, when the dashboard first saw the group, and when it last saw the leader change.</summary>
public sealed record GroupLeader(string Current, DateTimeOffset FirstSeen, DateTimeOffset? LastChange, int Changes)
{
    public string? Previous { get; init; }
}
