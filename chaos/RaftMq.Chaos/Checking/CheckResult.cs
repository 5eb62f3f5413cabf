using System.Globalization;
using System.Text;

namespace RaftMq.Chaos.Checking;

/// <summary>Operation totals of a history. Sends count attempts; payloads count distinct payload ids.</summary>
public sealed record OperationCounts(
    int Sends,
    int Ok,
    int Fail,
    int Info,
    int Receives,
    int Faults,
    int Payloads,
    int AckedPayloads,
    int ReceivedPayloads);

/// <summary>The verdict on a history.</summary>
public sealed record CheckResult(
    OperationCounts Counts,
    IReadOnlyList<AnomalyGroup> Anomalies,
    IReadOnlyList<WindowRecovery> Windows,
    RecoveryStats Failover,
    double Availability,
    CheckOptions Options)
{
    /// <summary>False when any safety anomaly was found (see <see cref="AnomalyKinds.FailsRun"/>).</summary>
    public bool IsValid => Anomalies.All(g => !g.FailsRun || g.Count == 0);

    public AnomalyGroup Group(AnomalyKind kind) => Anomalies.Single(g => g.Kind == kind);

    public int Count(AnomalyKind kind) => Group(kind).Count;

    public int Duplicates =>
        Count(AnomalyKind.DuplicateUnexplained) + Count(AnomalyKind.DuplicateExplained) + Count(AnomalyKind.DuplicateRedelivery);

    /// <summary>
    /// One line for logs and CI, e.g.
    /// <c>chaos: ops=1200 ok=1150 fail=20 info=30 faults=4 lost=0 unseen=0 dup=3 (unexplained 0) ... valid=true</c>.
    /// </summary>
    public string Summary()
    {
        var c = Counts;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"chaos: ops={c.Sends} ok={c.Ok} fail={c.Fail} info={c.Info} receives={c.Receives} faults={c.Faults}");
        line.Append(CultureInfo.InvariantCulture,
            $" lost={Count(AnomalyKind.Lost)} unseen={Count(AnomalyKind.Unseen)} expected-loss={Count(AnomalyKind.ExpectedLoss)}");
        line.Append(CultureInfo.InvariantCulture,
            $" dup={Duplicates} (unexplained {Count(AnomalyKind.DuplicateUnexplained)})");
        line.Append(CultureInfo.InvariantCulture,
            $" inconsistent={Count(AnomalyKind.InconsistentOffset)} failed-visible={Count(AnomalyKind.FailedWriteVisible)}");
        line.Append(CultureInfo.InvariantCulture,
            $" order={Count(AnomalyKind.OrderViolation)} unexpected={Count(AnomalyKind.Unexpected)}");
        line.Append(CultureInfo.InvariantCulture,
            $" committed-missing={Count(AnomalyKind.CommittedMissing)} rolled-back-delivered={Count(AnomalyKind.RolledBackDelivered)}");
        line.Append(CultureInfo.InvariantCulture, $" availability={Availability * 100:0.0}%");
        line.Append(CultureInfo.InvariantCulture, $" failover-median={FormatSeconds(Failover.Median)} failover-max={FormatSeconds(Failover.Max)}");
        line.Append(CultureInfo.InvariantCulture, $" full-drain={(Options.FullDrain ? "true" : "false")} valid={(IsValid ? "true" : "false")}");
        return line.ToString();
    }

    public static string FormatSeconds(TimeSpan? value) =>
        value is { } time ? time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s" : "-";
}
