using System.Collections.Concurrent;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Dashboard.Cluster;

/// <summary>
/// Consumer groups' live members, consume type and message model (GET_CONSUMER_CONNECTION_LIST, 203, at the masters
/// holding the group's %RETRY% topic), each cached for <see cref="DashboardOptions.SampleInterval"/>: the consumers list
/// refreshes in every open browser, and all of them together cost at most one round per group per interval.
/// </summary>
public sealed class ConsumerConnections(MQAdminClient admin, TimeSpan maxAge, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, ConsumerConnection? Connection)> _cache = new(StringComparer.Ordinal);

    /// <summary>The group's connections, or null when no member is online.</summary>
    public async Task<ConsumerConnection?> GetAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(group, out var cached) && now - cached.At < maxAge) return cached.Connection;
        ConsumerConnection? connection;
        try
        {
            connection = await admin.GetConsumerConnectionAsync(group, cancellationToken).ConfigureAwait(false);
        }
        catch (MQClientException e) when (e.ResponseCode == ResponseCode.ConsumerNotOnline)
        {
            connection = null;
        }
        _cache[group] = (now, connection);
        return connection;
    }

    /// <summary>"push", "pull" or "pop", as the dashboard shows a consume type.</summary>
    public static string TypeName(ConsumeType type) => type switch
    {
        ConsumeType.ConsumeActively => "pull",
        ConsumeType.ConsumePassively => "push",
        _ => "pop",
    };

    /// <summary>"clustering" or "broadcast".</summary>
    public static string ModeName(MessageModel model) => model == MessageModel.Broadcasting ? "broadcast" : "clustering";
}
