using RaftMq.Broker.Processors.Send;
using RaftMq.Consensus;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.MasterSlave;

/// <summary>A SYNC_MASTER's wait for its slaves: some learner of the log must hold the send within
/// <c>syncFlushTimeout</c>; a learner <c>haSlaveFallbehindMax</c> bytes behind, or silent, does not count.</summary>
public sealed class SyncMasterReplication(IReplicatedLog log, TimeSpan timeout, long maxLagBytes) : ISlaveReplication
{
    public ValueTask<LearnerAckResult> WaitAsync(CancellationToken cancellationToken) =>
        log.WaitForLearnersAsync(timeout, maxLagBytes, cancellationToken);
}
