using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Tools;

/// <summary>
/// Creates a topic the producer tools are asked to use when the name servers do not know it. RocketMQ's tools rely
/// on auto-creation through the TBW102 template route, which a RaftMq cluster does not publish to the name servers
/// (the broker does not register TBW102), so a first send to an unknown topic finds no route at all.
/// </summary>
public static class TopicBootstrap
{
    private static readonly TimeSpan RouteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>True when the topic had to be created.</summary>
    public static async Task<bool> EnsureExistsAsync(IReadOnlyList<string> nameServers, AclCredentials? credentials, ClientTlsOptions? tls, string topic, int queues, ILoggerFactory loggers,
        TextWriter report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var admin = new MQAdminClient(new AdminOptions
        {
            NameServerAddresses = nameServers,
            InstanceName = $"raftmq-topic-bootstrap-{Environment.ProcessId}",
            Credentials = credentials,
            Tls = tls,
        }, loggers);
        await admin.StartAsync(cancellationToken).ConfigureAwait(false);
        if ((await admin.GetTopicListAsync(cancellationToken).ConfigureAwait(false)).Contains(topic)) return false;

        string cluster = await SingleClusterAsync(admin, cancellationToken).ConfigureAwait(false);
        await admin.CreateOrUpdateTopicAsync(cluster, new TopicSettings { Topic = topic, ReadQueueNums = queues, WriteQueueNums = queues },
            cancellationToken).ConfigureAwait(false);
        // The masters re-register with the name servers on a topic change; wait until the route is there.
        await Poll.UntilTrueAsync(async token => (await admin.GetTopicListAsync(token).ConfigureAwait(false)).Contains(topic),
            RouteTimeout, TimeSpan.FromMilliseconds(100), $"the name servers to route topic {topic}", cancellationToken).ConfigureAwait(false);
        await report.WriteLineAsync($"topic {topic} did not exist: created it with {queues} queues in cluster {cluster}").ConfigureAwait(false);
        return true;
    }

    /// <summary>The one cluster registered with the name servers; a usage error when there are none or several.</summary>
    public static async Task<string> SingleClusterAsync(MQAdminClient admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var clusters = (await admin.GetClusterInfoAsync(cancellationToken).ConfigureAwait(false))
            .Select(node => node.ClusterName).Distinct(StringComparer.Ordinal).ToList();
        return clusters.Count switch
        {
            1 => clusters[0],
            0 => throw new UsageException("no broker is registered with the name server; start the brokers first"),
            _ => throw new UsageException($"several clusters are registered ({string.Join(", ", clusters)}); choose one with --cluster"),
        };
    }
}
