using RaftMq.Cli.CommandLine;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Output;

namespace RaftMq.Cli.Quickstart;

public sealed partial class QuickstartRun
{
    private void PrintHeader(ClusterLayout layout)
    {
        output.WriteLine("RaftMq quickstart: a name server and a 3-node Raft broker group as separate processes, SIGKILL of the leader");
        output.WriteLine($"  conf    {layout.ConfDirectory}");
        output.WriteLine($"  logs    {settings.LogDirectory}");
        output.WriteLine($"  nodes   {string.Join("  ", layout.Brokers.Select(broker => $"{broker.SelfId}={broker.Address} (raft :{broker.RaftPort})"))}");
        output.WriteLine($"  kills   {settings.Kills}");
        output.WriteLine();
    }

    /// <summary>Prints the ledger and failover times; true when no acknowledged message was lost.</summary>
    private bool PrintReport(LedgerSummary summary)
    {
        var table = new TextTable("Sent", "Acknowledged", "Failed", "Unknown", "Consumed", "Lost", "Duplicated")
            .AlignRight("Sent", "Acknowledged", "Failed", "Unknown", "Consumed", "Lost", "Duplicated")
            .AddRow(summary.Sent, summary.Acknowledged, summary.Failed, summary.Unknown, summary.Consumed, summary.Lost, summary.Duplicated);
        output.WriteLine();
        output.Write(table.ToString());
        output.WriteLine("  Failed = refused before anything was stored; Unknown = no answer (may be stored); Duplicated = delivered more than once");
        if (_failovers.Count > 0)
        {
            output.WriteLine(
                $"failover (SIGKILL of the leader -> first successful send) over {_failovers.Count} kill(s): " +
                $"min {DurationText.Format(_failovers.Min)}  median {DurationText.Format(_failovers.Median)}  max {DurationText.Format(_failovers.Max)}");
        }
        bool passed = summary.Lost == 0 && summary.Acknowledged > 0;
        output.WriteLine(passed
            ? "result: PASS - every acknowledged message was consumed"
            : $"result: FAIL - {summary.Lost} acknowledged message(s) were never consumed");
        return passed;
    }
}
