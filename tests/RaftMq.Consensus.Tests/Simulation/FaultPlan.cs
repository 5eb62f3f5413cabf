namespace RaftMq.Consensus.Tests.Simulation;

internal enum FaultKind : byte
{
    PartitionMinority,
    OneWayLink,
    IsolateLeader,
    Bridge,
    MajoritiesRing,
    HealNetwork,
    Crash,
    CrashLeader,
    Restart,
    Pause,
    PauseLeader,
    Resume,
    BadNetwork,
    GoodNetwork,
    TransferLeadership,
    Reboot,
    RebootLeader,
    RestartNode,
    RebootNode,
    ArmCrashAfterVote,
    ArmCrashLeaderMidWrite,
    SlowDisk,
    FastDisk,
    WipeFollower,
    HealEverything,
}

/// <summary>A fault or heal at a virtual time; <see cref="Pick"/> is a seeded choice resolved when it fires.</summary>
internal sealed record FaultEvent(long AtStep, FaultKind Kind, int Pick);

/// <summary>Derives the fault schedule of one run from its seed: a timeline of faults and heals.</summary>
internal static class FaultPlan
{
    public static List<FaultEvent> Generate(Random random, SimulationProfile profile)
    {
        var events = new List<FaultEvent>();
        long end = profile.FaultSeconds * profile.StepsPerSecond;
        long meanGap = (long)(profile.MeanFaultIntervalSeconds * profile.StepsPerSecond);
        long t = random.NextInt64(meanGap);
        while (t < end)
        {
            FaultKind kind = profile.LeaderChurn ? PickChurnKind(random) : PickKind(random);
            events.Add(new FaultEvent(t, kind, random.Next(1 << 20)));
            FaultKind? heal = HealFor(kind);
            if (heal is { } healKind)
            {
                // Most faults heal after 1-25 s; some stay until the next heal of their kind or the end.
                long healAt = t + profile.StepsPerSecond + random.NextInt64(24 * profile.StepsPerSecond);
                if (random.Next(5) > 0 && healAt < end) events.Add(new FaultEvent(healAt, healKind, random.Next(1 << 20)));
            }
            t += 1 + random.NextInt64(2 * meanGap);
        }
        events.Sort((a, b) => a.AtStep.CompareTo(b.AtStep));
        return events;
    }

    private static FaultKind PickKind(Random random) => random.Next(100) switch
    {
        < 10 => FaultKind.PartitionMinority,
        < 16 => FaultKind.OneWayLink,
        < 26 => FaultKind.IsolateLeader,
        < 31 => FaultKind.Bridge,
        < 35 => FaultKind.MajoritiesRing,
        < 45 => FaultKind.Crash,
        < 53 => FaultKind.CrashLeader,
        < 61 => FaultKind.Reboot,
        < 71 => FaultKind.RebootLeader,
        < 76 => FaultKind.Pause,
        < 82 => FaultKind.PauseLeader,
        < 86 => FaultKind.BadNetwork,
        < 89 => FaultKind.SlowDisk,
        < 93 => FaultKind.WipeFollower,
        < 95 => FaultKind.ArmCrashAfterVote,
        < 97 => FaultKind.ArmCrashLeaderMidWrite,
        _ => FaultKind.TransferLeadership,
    };

    /// <summary>Bug-hunting mix: mostly leader crashes and quick reboots, so that terms pile up (Figure 8 needs several).</summary>
    private static FaultKind PickChurnKind(Random random) => random.Next(100) switch
    {
        < 35 => FaultKind.RebootLeader,
        < 45 => FaultKind.CrashLeader,
        < 55 => FaultKind.Reboot,
        < 65 => FaultKind.IsolateLeader,
        < 72 => FaultKind.PartitionMinority,
        < 78 => FaultKind.ArmCrashAfterVote,
        < 84 => FaultKind.ArmCrashLeaderMidWrite,
        < 90 => FaultKind.SlowDisk,
        _ => FaultKind.BadNetwork,
    };

    private static FaultKind? HealFor(FaultKind kind) => kind switch
    {
        FaultKind.PartitionMinority or FaultKind.OneWayLink or FaultKind.IsolateLeader
            or FaultKind.Bridge or FaultKind.MajoritiesRing => FaultKind.HealNetwork,
        FaultKind.Crash or FaultKind.CrashLeader => FaultKind.Restart,
        FaultKind.Pause or FaultKind.PauseLeader => FaultKind.Resume,
        FaultKind.BadNetwork => FaultKind.GoodNetwork,
        FaultKind.SlowDisk => FaultKind.FastDisk,
        _ => null,
    };
}
