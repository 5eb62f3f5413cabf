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
        if (_security is not null)
        {
            output.WriteLine($"  secure  plain ACL ({_security.Admin.AccessKey}, {_security.App.AccessKey}), TLS enforcing, mutual TLS between Raft peers; CA {_security.CaFile}");
        }
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
        bool passed = summary.Lost == 0 && summary.Acknowledged > 0 && _securityFailures.Count == 0;
        string verdict = passed ? "result: PASS - every acknowledged message was consumed"
            : summary.Lost > 0 || summary.Acknowledged == 0 ? $"result: FAIL - {summary.Lost} acknowledged message(s) were never consumed"
            : $"result: FAIL - {string.Join("; ", _securityFailures)}";
        output.WriteLine(passed && _security is not null ? verdict + ", over TLS with ACL; the wrong secret and the plaintext request were refused" : verdict);
        return passed;
    }
}
