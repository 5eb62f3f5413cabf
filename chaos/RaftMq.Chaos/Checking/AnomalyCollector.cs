namespace RaftMq.Chaos.Checking;

/// <summary>Counts findings per kind and keeps the first few of each as examples.</summary>
internal sealed class AnomalyCollector(CheckOptions options)
{
    private readonly int[] _counts = new int[Enum.GetValues<AnomalyKind>().Length];
    private readonly List<Anomaly>[] _examples =
        [.. Enum.GetValues<AnomalyKind>().Select(_ => new List<Anomaly>())];

    public void Add(AnomalyKind kind, string subject, string detail)
    {
        var slot = (int)kind;
        _counts[slot]++;
        if (_examples[slot].Count < options.MaxExamples)
        {
            _examples[slot].Add(new Anomaly(kind, subject, detail));
        }
    }

    public IReadOnlyList<AnomalyGroup> Groups() =>
        [.. Enum.GetValues<AnomalyKind>().Select(kind => new AnomalyGroup(
            kind, _counts[(int)kind], AnomalyKinds.FailsRun(kind, options), _examples[(int)kind]))];
}
