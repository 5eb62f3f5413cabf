using RaftMq.Broker.Forwarding;
using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Hosting;

/// <summary>Exposes only identity, role and leadership transfer of a replicated log to the processors; a transfer it
/// starts is noted in <paramref name="handOver"/> so that writes refused meanwhile wait for the successor.</summary>
public sealed class ReplicatedLogLeadership(IReplicatedLog log, HandOverWatch handOver) : ILeadershipControl
{
    public string SelfId => log.SelfId;

    public SoftState State => log.State;

    public bool TransferLeadership(string targetId)
    {
        if (targetId != log.SelfId) handOver.Started();
        return log.TransferLeadership(targetId);
    }

    public RaftMemberStatus? Status => log.GetStatus();
}
