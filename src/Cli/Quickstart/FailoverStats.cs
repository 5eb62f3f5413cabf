namespace RaftMq.Cli.Quickstart;

/// <summary>Failover times over several leader kills: time from SIGKILL to the first successful send after it.</summary>
public sealed class FailoverStats
{
    private readonly List<TimeSpan> _samples = [];

    public IReadOnlyList<TimeSpan> Samples => _samples;

    public int Count => _samples.Count;

    public void Add(TimeSpan sample) => _samples.Add(sample);

    public TimeSpan Min => Sorted()[0];

    public TimeSpan Max => Sorted()[^1];

    /// <summary>The middle sample; the mean of the two middle ones for an even count.</summary>
    public TimeSpan Median
    {
        get
        {
            var sorted = Sorted();
            int middle = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    private List<TimeSpan> Sorted()
    {
        if (_samples.Count == 0) throw new InvalidOperationException("no failover was measured");
        var sorted = new List<TimeSpan>(_samples);
        sorted.Sort();
        return sorted;
    }
}
