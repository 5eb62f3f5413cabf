using System.Collections.Concurrent;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Scrapes the Prometheus endpoints of the shared cluster's real processes after traffic ran.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class MetricsTests(E2ECluster cluster)
{
    private const string Topic = "E2EMetrics";
    private const string Group = "e2e-metrics";
    private const int Messages = 10;

    /// <summary>Series every broker node serves whatever its role (docs/operations/metrics.md).</summary>
    private static readonly string[] NodeSeries =
    [
        "raftmq_broker_connections", "raftmq_consensus_term", "raftmq_consensus_role", "raftmq_consensus_commit_index",
        "raftmq_consensus_applied_index", "raftmq_consensus_apply_lag", "raftmq_consensus_elections_total",
        "raftmq_consensus_leader_changes_total", "raftmq_consensus_fsync_duration_milliseconds_bucket",
        "raftmq_consensus_fsync_batch_size_bucket", "raftmq_consensus_log_size_bytes",
        "raftmq_consensus_retention_deleted_segments_total", "raftmq_consensus_commits_total",
        "raftmq_store_key_index_files", "raftmq_store_key_index_entries",
    ];

    [Fact]
    public async Task Leader_serves_traffic_raft_and_lag_series_after_produce_and_consume()
    {
        await cluster.CreateTopicAsync(Topic, 2);
        await using (var producer = await E2EClients.StartProducerAsync(cluster, "e2e-metrics-producer"))
        {
            await E2EClients.SendUntilAcknowledgedAsync(producer, Topic, "metrics", Messages);
        }
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = E2EClients.CreateConsumer(cluster, Group, "e2e-metrics-consumer");
        consumer.Subscribe(Topic);
        await consumer.StartAsync(E2EClients.Recorder(deliveries));
        Assert.True(await E2EClients.EventuallyAsync(() => deliveries.Count == Messages), $"consumed {deliveries.Count} of {Messages}");

        // Offsets reach the broker on the consumer's next persist; until then the group has no lag series.
        var leaderSamples = await Poll.UntilAsync(async token =>
        {
            var leader = await cluster.WaitForLeaderAsync(excluding: null);
            var samples = await PrometheusScrape.FetchAsync(leader.MetricsPort, token);
            return samples.Any(s => s.Name == "raftmq_broker_consumer_lag" && s.Label("group") == Group) ? samples : null;
        }, E2ECluster.Deadline, TimeSpan.FromMilliseconds(500), "the consumer group's lag series", CancellationToken.None);

        foreach (string series in NodeSeries) Assert.Contains(leaderSamples, s => s.Name == series);
        Assert.Equal(1, Value(leaderSamples, "raftmq_consensus_role", ("raftmq_role", "Leader")));
        Assert.True(Value(leaderSamples, "raftmq_consensus_term") >= 1);
        // Traffic is counted by the node that served it: summed over every node, since the shared cluster's leader can
        // change under load while the test runs (one run scraped a new leader that had served none of it).
        var allSamples = (await Task.WhenAll(cluster.Layout.Brokers.Select(b => PrometheusScrape.FetchAsync(b.MetricsPort)))).SelectMany(s => s).ToList();
        Assert.True(Value(allSamples, "raftmq_broker_put_messages_total", ("topic", Topic)) >= Messages);
        Assert.True(Value(allSamples, "raftmq_broker_put_bytes_total", ("topic", Topic)) > 0);
        Assert.True(Value(allSamples, "raftmq_broker_get_messages_total", ("topic", Topic)) >= Messages);
        Assert.True(Value(allSamples, "raftmq_broker_get_bytes_total", ("topic", Topic)) > 0);
        Assert.True(Value(allSamples, "raftmq_broker_send_duration_milliseconds_count") >= Messages);
        Assert.Contains(allSamples, s => s.Name == "raftmq_broker_pull_duration_milliseconds_bucket");
        Assert.All(leaderSamples.Where(s => s.Name == "raftmq_broker_consumer_lag" && s.Label("group") == Group),
            lag => Assert.Equal(0, lag.Value));
        var followerLags = leaderSamples.Where(s => s.Name == "raftmq_consensus_follower_match_lag").ToList();
        Assert.Equal(cluster.Layout.Brokers.Count - 1, followerLags.Select(s => s.Label("raftmq_peer")).Distinct().Count());
        Assert.True(Value(leaderSamples, "raftmq_consensus_log_size_bytes") > 0);
        // Every message carries a producer id, so each one sent adds a key index entry on every replica.
        Assert.True(Value(leaderSamples, "raftmq_store_key_index_entries") >= Messages);
        Assert.True(Value(leaderSamples, "raftmq_store_key_index_files") >= 1);
    }

    [Fact]
    public async Task A_key_query_is_timed_in_the_store_series()
    {
        await cluster.CreateTopicAsync("E2EMetricsKeys", 1);
        await using (var producer = await E2EClients.StartProducerAsync(cluster, "e2e-metrics-keys-producer"))
        {
            await producer.SendAsync(new RaftMq.Client.Message("E2EMetricsKeys", [1, 2, 3], keys: "metrics-key-1"));
        }
        // Summed over every node: whichever replica leads when the query runs answers it.
        double before = await KeyQueriesAsync(CancellationToken.None);

        var found = await cluster.Admin.QueryMessagesByKeyAsync("E2EMetricsKeys", "metrics-key-1", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 32);

        Assert.NotEmpty(found);
        // The exporter may answer a scrape from its short-lived cache: wait for scrapes taken after the query.
        await Poll.UntilTrueAsync(async token => await KeyQueriesAsync(token) > before,
            E2ECluster.Deadline, TimeSpan.FromMilliseconds(200), "a scrape counting the key query", CancellationToken.None);
        var samples = (await Task.WhenAll(cluster.Layout.Brokers.Select(b => PrometheusScrape.FetchAsync(b.MetricsPort)))).SelectMany(s => s).ToList();
        Assert.Contains(samples, s => s.Name == "raftmq_store_key_index_query_duration_milliseconds_bucket");
    }

    [Fact]
    public async Task Followers_report_their_role_and_the_name_server_its_brokers()
    {
        // The shared cluster's leadership can move under load between two scrapes: wait for one scrape of every node in
        // which exactly one reports Leader, then check the others as followers in that same scrape.
        IReadOnlyList<PrometheusSample>[] scrapes = [];
        await Poll.UntilTrueAsync(async token =>
        {
            scrapes = await Task.WhenAll(cluster.Layout.Brokers.Select(b => PrometheusScrape.FetchAsync(b.MetricsPort, token)));
            return scrapes.Count(samples => RoleIs(samples, "Leader")) == 1;
        }, E2ECluster.Deadline, TimeSpan.FromMilliseconds(200), "one scrape of every node with exactly one leader", CancellationToken.None);
        foreach (var samples in scrapes.Where(samples => !RoleIs(samples, "Leader")))
        {
            foreach (string series in NodeSeries) Assert.Contains(samples, s => s.Name == series);
            Assert.Equal(1, Value(samples, "raftmq_consensus_role", ("raftmq_role", "Follower")));
            Assert.DoesNotContain(samples, s => s.Name == "raftmq_consensus_follower_match_lag");
        }

        var nameServer = await PrometheusScrape.FetchAsync(cluster.Layout.NameServerMetricsPort);
        Assert.Equal(cluster.Layout.Brokers.Count, Value(nameServer, "raftmq_namesrv_brokers"));
        Assert.True(Value(nameServer, "raftmq_namesrv_connections") >= cluster.Layout.Brokers.Count);
        Assert.Contains(nameServer, s => s.Name == "raftmq_namesrv_topics");
    }

    private static bool RoleIs(IReadOnlyList<PrometheusSample> samples, string role) =>
        samples.Any(s => s.Name == "raftmq_consensus_role" && s.Label("raftmq_role") == role && s.Value == 1);

    /// <summary>Key queries answered so far by all broker nodes (no series on a node before its first query).</summary>
    private async Task<double> KeyQueriesAsync(CancellationToken token)
    {
        double total = 0;
        foreach (var broker in cluster.Layout.Brokers)
        {
            total += (await PrometheusScrape.FetchAsync(broker.MetricsPort, token))
                .Where(s => s.Name == "raftmq_store_key_index_query_duration_milliseconds_count").Sum(s => s.Value);
        }
        return total;
    }

    private static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Label, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Label) == l.Value)).ToList();
        Assert.True(matching.Count > 0, $"no sample {name} with {string.Join(", ", labels)}");
        return matching.Sum(s => s.Value);
    }
}
