using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Nemesis;

/// <summary>Fault schedule: heal and fault windows alternate; each fault is drawn from the enabled nemeses with a seeded RNG.</summary>
public sealed record NemesisOptions
{
    public TimeSpan HealWindow { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan FaultWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>pause-leader and pause-follower hold SIGSTOP for a random time in [PauseMin, PauseMax] instead of the fault window.</summary>
    public TimeSpan PauseMin { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PauseMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>restart-all-stale-first: how long the stale node runs alone before the others restart.</summary>
    public TimeSpan StaleHeadStart { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How a cut Raft link behaves: blackhole (sockets stay open) or refuse (connections reset).</summary>
    /// <summary>rolling-restart: pause after a restarted node serves again before the next one stops (catch-up).</summary>
    public TimeSpan RollingGap { get; init; } = TimeSpan.FromSeconds(2);

    public ProxyMode CutMode { get; init; } = ProxyMode.Blackhole;

    public int Seed { get; init; }

    /// <summary>Names from <see cref="NemesisNames"/>; null = every nemesis that applies to the cluster.</summary>
    public IReadOnlyList<string>? Enabled { get; init; }

    /// <summary>Stop after this many fault windows (null: only the duration bounds the schedule).</summary>
    public int? MaxWindows { get; init; }

    public void Validate()
    {
        if (HealWindow < TimeSpan.Zero || FaultWindow < TimeSpan.Zero || StaleHeadStart < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FaultWindow), "windows must not be negative");
        }

        if (PauseMin < TimeSpan.Zero || PauseMax < PauseMin)
        {
            throw new ArgumentOutOfRangeException(nameof(PauseMax), $"need 0 <= PauseMin <= PauseMax, got {PauseMin}..{PauseMax}");
        }

        foreach (var name in Enabled ?? [])
        {
            if (!NemesisNames.Known.Contains(name))
            {
                throw new ArgumentException($"unknown nemesis '{name}'; known: {string.Join(", ", NemesisNames.Known)}", nameof(Enabled));
            }
        }
    }
}
