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
    FsyncFailure,
    ReadCorruption,
    DiskFull,
    HealDisks,
    SlowFollower,
    SlowLeader,
    EndSlowPeer,

    /// <summary>The leader proposes a random configuration change (add a spare as learner, promote, remove, replace).</summary>
    ChangeMembership,

    /// <summary>Second half of a replacement: remove the replaced member (retried while another change is in flight).</summary>
    RemoveMember,
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
            FaultKind kind = profile.MembershipChurn && random.Next(100) < profile.MembershipChangePercent ? FaultKind.ChangeMembership
                : profile.BrokerChurn ? PickBrokerKind(random)
                : profile.LeaderChurn ? PickChurnKind(random)
                : profile.DiskChurn ? PickDiskKind(random)
                : profile.WipeChurn ? PickWipeKind(random)
                : profile.TransferChurn ? PickTransferKind(random)
                : profile.SlowPeerChurn ? PickSlowPeerKind(random)
                : PickKind(random);
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
        < 9 => FaultKind.PartitionMinority,
        < 14 => FaultKind.OneWayLink,
        < 23 => FaultKind.IsolateLeader,
        < 27 => FaultKind.Bridge,
        < 30 => FaultKind.MajoritiesRing,
        < 39 => FaultKind.Crash,
        < 46 => FaultKind.CrashLeader,
        < 54 => FaultKind.Reboot,
        < 63 => FaultKind.RebootLeader,
        < 68 => FaultKind.Pause,
        < 73 => FaultKind.PauseLeader,
        < 77 => FaultKind.BadNetwork,
        < 80 => FaultKind.SlowDisk,
        < 84 => FaultKind.WipeFollower,
        < 86 => FaultKind.ArmCrashAfterVote,
        < 88 => FaultKind.ArmCrashLeaderMidWrite,
        < 91 => FaultKind.FsyncFailure,
        < 94 => FaultKind.ReadCorruption,
        < 96 => FaultKind.DiskFull,
        _ => FaultKind.TransferLeadership,
    };

    /// <summary>Disk hunting: crashes and reboots (often mid-write) and disk faults.</summary>
    private static FaultKind PickDiskKind(Random random) => random.Next(100) switch
    {
        < 20 => FaultKind.RebootLeader,
        < 35 => FaultKind.Reboot,
        < 50 => FaultKind.ArmCrashLeaderMidWrite,
        < 60 => FaultKind.CrashLeader,
        < 70 => FaultKind.FsyncFailure,
        < 78 => FaultKind.ReadCorruption,
        < 85 => FaultKind.DiskFull,
        < 92 => FaultKind.SlowDisk,
        _ => FaultKind.IsolateLeader,
    };

    /// <summary>Wipe hunting: wipes (the safety rule lets them fire while logs differ) among leader faults.</summary>
    private static FaultKind PickWipeKind(Random random) => random.Next(100) switch
    {
        < 45 => FaultKind.WipeFollower,
        < 60 => FaultKind.RebootLeader,
        < 70 => FaultKind.CrashLeader,
        < 80 => FaultKind.SlowDisk,
        < 90 => FaultKind.BadNetwork,
        _ => FaultKind.IsolateLeader,
    };

    /// <summary>Transfer hunting: mostly transfers, with a few faults that are healed before the next ones.</summary>
    private static FaultKind PickTransferKind(Random random) => random.Next(100) switch
    {
        < 75 => FaultKind.TransferLeadership,
        < 85 => FaultKind.RebootLeader,
        _ => FaultKind.PartitionMinority,
    };

    /// <summary>Slow-peer hunting: mostly a slow or frozen follower (the resumed far-behind node), sometimes the leader.</summary>
    private static FaultKind PickSlowPeerKind(Random random) => random.Next(100) < 75 ? FaultKind.SlowFollower : FaultKind.SlowLeader;

    /// <summary>Broker hunting: power losses of every kind (the broker's files lose and tear unsynced writes and unflushed
    /// key-index pages with the log's), crashes in the middle of a round's disk work, and wipes of a whole data directory.</summary>
    private static FaultKind PickBrokerKind(Random random) => random.Next(100) switch
    {
        < 25 => FaultKind.RebootLeader,
        < 35 => FaultKind.CrashLeader,
        < 50 => FaultKind.Reboot,
        < 62 => FaultKind.ArmCrashLeaderMidWrite,
        < 74 => FaultKind.WipeFollower,
        < 82 => FaultKind.IsolateLeader,
        < 88 => FaultKind.PartitionMinority,
        < 94 => FaultKind.SlowDisk,
        _ => FaultKind.BadNetwork,
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
        FaultKind.FsyncFailure or FaultKind.ReadCorruption or FaultKind.DiskFull => FaultKind.HealDisks,
        FaultKind.SlowFollower or FaultKind.SlowLeader => FaultKind.EndSlowPeer,
        _ => null,
    };
}
