using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Hosting;

/// <summary>Exposes only identity, role and leadership transfer of a replicated log to the admin processor.</summary>
public sealed class ReplicatedLogLeadership(IReplicatedLog log) : ILeadershipControl
{
    public string SelfId => log.SelfId;

    public SoftState State => log.State;

    public bool TransferLeadership(string targetId) => log.TransferLeadership(targetId);

    public RaftMemberStatus? Status => log.GetStatus();
}
