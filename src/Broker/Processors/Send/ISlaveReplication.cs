using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Processors.Send;

/// <summary>A SYNC_MASTER's wait, after a send committed on the master, until a slave holds it too.</summary>
public interface ISlaveReplication
{
    ValueTask<LearnerAckResult> WaitAsync(CancellationToken cancellationToken);
}
