namespace RaftMq.Chaos.Processes;

/// <summary>What to run. Output goes to <c>{LogDirectory}/{Name}.out.log</c> and <c>.err.log</c>, appended across restarts.</summary>
public sealed record ProcessSpec(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Where log files go; the working directory (or the current one) when null.</summary>
    public string? LogDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string StdoutLogPath => Path.Combine(LogDirectory ?? WorkingDirectory ?? ".", $"{Name}.out.log");

    public string StderrLogPath => Path.Combine(LogDirectory ?? WorkingDirectory ?? ".", $"{Name}.err.log");

    public override string ToString() => $"{Name}: {FileName} {string.Join(' ', Arguments)}";
}
