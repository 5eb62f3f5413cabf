using RaftMq.Cli.Admin;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Quickstart;

public sealed partial class QuickstartRun
{
    private async Task StartClusterAsync(LocalClusterProcesses cluster, CancellationToken cancellationToken)
    {
        var layout = cluster.Layout;
        await cluster.StartNameServerAsync(cancellationToken).ConfigureAwait(false);
        Progress($"name server listening on {layout.NameServerAddress}");
        await cluster.StartAllBrokersAsync(cancellationToken).ConfigureAwait(false);
        Progress($"broker nodes {string.Join(", ", layout.Brokers.Select(broker => $"{broker.SelfId} (pid {cluster.BrokerProcessId(broker.Index)})"))} listening");
        var metrics = layout.Brokers.Where(broker => broker.MetricsPort > 0).Select(broker => broker.MetricsPort)
            .Prepend(layout.NameServerMetricsPort).Where(port => port > 0).Select(port => $"http://127.0.0.1:{port}/metrics").ToList();
        if (metrics.Count > 0) Progress($"Prometheus metrics: {string.Join(" ", metrics)}");
    }

    /// <summary>Polls the name server until a node other than <paramref name="excluding"/> is registered as master.</summary>
    private async Task<BrokerNodeLayout> WaitForLeaderAsync(MQAdminClient admin, ClusterLayout layout, BrokerNodeLayout? excluding,
        CancellationToken cancellationToken)
    {
        var leader = await Poll.UntilAsync(async token =>
        {
            var found = await ClusterLeader.FindAsync(admin, layout, token).ConfigureAwait(false);
            return found is not null && found != excluding ? found : null;
        }, LeaderTimeout, PollInterval, $"a master (Raft leader) of {layout.BrokerName} at the name server", cancellationToken).ConfigureAwait(false);
        Progress($"leader: {leader.SelfId} ({leader.Address})");
        return leader;
    }

    private async Task PrintClusterListAsync(MQAdminClient admin, CancellationToken cancellationToken)
    {
        var nodes = await admin.GetClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(ClusterListTable.Render(nodes).ToString()).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
    }

    private async Task CreateTopicAsync(MQAdminClient admin, ClusterLayout layout, CancellationToken cancellationToken)
    {
        var topic = new TopicSettings { Topic = settings.Topic, ReadQueueNums = settings.Queues, WriteQueueNums = settings.Queues };
        await admin.CreateOrUpdateTopicAsync(layout.ClusterName, topic, cancellationToken).ConfigureAwait(false);
        Progress($"topic {settings.Topic} created ({settings.Queues} queues) in cluster {layout.ClusterName}");
    }

    /// <summary>Restarts a killed node and waits until its queues reach the leader's offsets as of the restart.</summary>
    private async Task RestartAndCatchUpAsync(LocalClusterProcesses cluster, NodeProbe probe, BrokerNodeLayout node, BrokerNodeLayout leader,
        CancellationToken cancellationToken)
    {
        await cluster.StartBrokerAsync(node.Index, cancellationToken).ConfigureAwait(false);
        Progress($"restarted {node.SelfId} (pid {cluster.BrokerProcessId(node.Index)}); waiting for it to catch up");
        var target = await Poll.UntilAsync(token => probe.TryGetMaxOffsetsAsync(leader.Address, settings.Topic, token),
            CatchUpTimeout, PollInterval, $"topic offsets from the leader {leader.SelfId}", cancellationToken).ConfigureAwait(false);
        await Poll.UntilTrueAsync(async token =>
        {
            var offsets = await probe.TryGetMaxOffsetsAsync(node.Address, settings.Topic, token).ConfigureAwait(false);
            return offsets is not null && target.All(queue => offsets.GetValueOrDefault(queue.Key, -1) >= queue.Value);
        }, CatchUpTimeout, PollInterval, $"{node.SelfId} to catch up with {leader.SelfId}", cancellationToken).ConfigureAwait(false);
        Progress($"{node.SelfId} caught up ({target.Values.Sum()} messages in {settings.Topic} at the restart)");
    }
}
