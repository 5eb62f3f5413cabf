using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus.Core;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed class FakeLeadership : ILeadershipControl
{
    public string SelfId { get; set; } = "n0";

    public SoftState State { get; set; } = new(RaftRole.Leader, 3, "n0");

    public List<string> Transfers { get; } = [];

    public bool TransferLeadership(string targetId)
    {
        if (State.Role != RaftRole.Leader) return false;
        Transfers.Add(targetId);
        return true;
    }
}

/// <summary>A clock tests move by hand (lock and channel expiry).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
