using RaftMq.Cli.Bench;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Output;
using RaftMq.Cli.Processes;
using RaftMq.Cli.Quickstart;
using RaftMq.Client;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The executable's building blocks whose output operators read: tables, percentiles, the sample confs.</summary>
public sealed class CliPiecesTests
{
    [Fact]
    public void Table_pads_columns_to_the_widest_cell_and_right_aligns_numbers()
    {
        var table = new TextTable("Broker Name", "BID").AlignRight("BID").AddRow("RaftNode00", 0).AddRow("N", 12);

        string[] lines = table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["#Broker Name  #BID", "RaftNode00       0", "N               12"], lines);
    }

    [Fact]
    public void Histogram_percentiles_are_within_two_percent_of_the_exact_values()
    {
        var histogram = new LatencyHistogram();
        for (int micros = 1; micros <= 100_000; micros++) histogram.Record(TimeSpan.FromMicroseconds(micros));

        Assert.Equal(100_000, histogram.Count);
        Assert.InRange(histogram.Percentile(50).TotalMicroseconds, 50_000 * 0.98, 50_000 * 1.02);
        Assert.InRange(histogram.Percentile(99).TotalMicroseconds, 99_000 * 0.98, 99_000 * 1.02);
        Assert.Equal(100_000, histogram.Max.TotalMicroseconds);
    }

    [Fact]
    public void Failover_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        var stats = new FailoverStats();
        foreach (int ms in new[] { 900, 300, 500, 700 }) stats.Add(TimeSpan.FromMilliseconds(ms));

        Assert.Equal(TimeSpan.FromMilliseconds(300), stats.Min);
        Assert.Equal(TimeSpan.FromMilliseconds(600), stats.Median);
        Assert.Equal(TimeSpan.FromMilliseconds(900), stats.Max);
    }

    [Fact]
    public void Ledger_counts_acknowledged_messages_never_delivered_as_lost_and_repeats_as_duplicated()
    {
        var ledger = new MessageLedger();
        long delivered = ledger.NextId(), lost = ledger.NextId(), unknown = ledger.NextId();
        ledger.RecordSend(delivered, SendOutcome.Acknowledged);
        ledger.RecordSend(lost, SendOutcome.Acknowledged);
        ledger.RecordSend(unknown, SendOutcome.Unknown);
        ledger.RecordDelivery(delivered);
        ledger.RecordDelivery(delivered);
        ledger.RecordDelivery(unknown);

        var summary = ledger.Summarize();

        Assert.Equal(new LedgerSummary(Sent: 3, Acknowledged: 2, Failed: 0, Unknown: 1, Consumed: 2, Lost: 1, Duplicated: 1), summary);
    }

    [Fact]
    public void Launcher_reruns_the_apphost_directly_and_the_dll_through_the_dotnet_host()
    {
        var apphost = RaftMqLauncher.Describe("/opt/raftmq/raftmq", "/opt/raftmq/raftmq.dll");
        var viaDotnet = RaftMqLauncher.Describe("/usr/share/dotnet/dotnet", "/opt/raftmq/raftmq.dll");

        Assert.Equal(("/opt/raftmq/raftmq", 0), (apphost.FileName, apphost.LeadingArguments.Count));
        Assert.Equal(("/usr/share/dotnet/dotnet", "/opt/raftmq/raftmq.dll"), (viaDotnet.FileName, viaDotnet.LeadingArguments.Single()));
    }

    [Fact]
    public void Sample_confs_describe_a_three_node_group_with_the_documented_ports()
    {
        var layout = ClusterLayout.Load(Path.Combine(RepositoryRoot(), "conf", "dledger"));

        Assert.Equal(9876, layout.NameServerPort);
        Assert.Equal(["n0", "n1", "n2"], layout.Brokers.Select(broker => broker.SelfId));
        Assert.Equal([30911, 30921, 30931], layout.Brokers.Select(broker => broker.ListenPort));
        Assert.Equal([30912, 30922, 30932], layout.Brokers.Select(broker => broker.RaftPort));
        Assert.Equal([30915, 30925, 30935], layout.Brokers.Select(broker => broker.MetricsPort));
        Assert.Equal(9880, layout.NameServerMetricsPort);
        // Every sample port lies below Linux's ephemeral range, where no outgoing connection can take it.
        var ports = layout.Brokers.SelectMany(broker => new[] { broker.ListenPort, broker.RaftPort, broker.MetricsPort })
            .Append(layout.NameServerPort).Append(layout.NameServerMetricsPort);
        Assert.All(ports, port => Assert.InRange(port, 1024, 32767));
        Assert.All(layout.Brokers, broker => Assert.StartsWith("/tmp/raftmq/node0", broker.StoreDirectories[0], StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RaftMq.sln"))) return folder.FullName;
        }
        throw new DirectoryNotFoundException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
