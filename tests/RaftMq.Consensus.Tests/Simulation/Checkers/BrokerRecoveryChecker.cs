using RaftMq.Broker.Store;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// The broker's write order: a checkpoint is written only after the ConsumeQueue units it counts are durable, and a
/// key-index header only after its entries. So however a power loss cuts the disk work (unsynced writes lost or torn,
/// unflushed index pages kept or not), a restarted store finds its files at least as far as its checkpoint and headers
/// say; recovery that has to discard vouched-for files means the order was broken. (A rebuild after a wipe, or of files
/// written after the last checkpoint, is normal and not flagged.)
/// </summary>
internal sealed class BrokerRecoveryChecker
{
    /// <summary>Broker starts checked.</summary>
    public int Starts { get; private set; }

    public void OnStarted(string node, MessageStateMachine store)
    {
        Starts++;
        if (store.RecoveryFinding is { } finding)
        {
            throw new SimulationViolationException($"broker recovery: {node} found its files behind what its checkpoint vouched for: {finding}");
        }
    }
}
