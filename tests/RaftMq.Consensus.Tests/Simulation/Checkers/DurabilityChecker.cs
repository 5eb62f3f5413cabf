using System.Buffers.Binary;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// No proposal that was applied anywhere (reported committed) is ever lost or duplicated: each client payload
/// is applied at one index only, and once the run has healed every node's log still holds every applied entry.
/// </summary>
internal sealed class DurabilityChecker(AppliedHistory history, Func<ReadOnlyMemory<byte>, long?>? proposalIdOf = null)
{
    private readonly Dictionary<long, long> _indexOfProposal = new();

    public void OnApply(string node, LogEntry entry)
    {
        if (entry.Type != EntryType.Normal || ProposalId(entry.Body) is not { } proposal) return;
        if (_indexOfProposal.TryGetValue(proposal, out long index))
        {
            if (index != entry.Index)
                throw new SimulationViolationException($"durability: proposal {proposal} applied at {index} and again at {entry.Index} (by {node})");
            return;
        }
        _indexOfProposal.Add(proposal, entry.Index);
    }

    /// <summary>Client payloads carry their proposal id in their first 8 bytes, unless the profile encodes them otherwise.</summary>
    private long? ProposalId(ReadOnlyMemory<byte> body) =>
        proposalIdOf is not null ? proposalIdOf(body) : body.Length >= 8 ? BinaryPrimitives.ReadInt64BigEndian(body.Span) : null;

    public bool WasApplied(long proposal) => _indexOfProposal.ContainsKey(proposal);

    /// <summary>After healing and catch-up: every node's log holds the whole committed sequence (or a snapshot of it).</summary>
    public void CheckNothingLost(IReadOnlyList<SimNode> nodes)
    {
        foreach (SimNode node in nodes)
        {
            var log = node.Log!;
            var entries = node.ReadLog();
            if (log.LastIndex < history.LastIndex)
                throw new SimulationViolationException($"durability: {node.Id} log ends at {log.LastIndex}, committed sequence at {history.LastIndex}");
            for (long i = log.FirstIndex; i <= history.LastIndex; i++)
            {
                if (!AppliedHistory.SameEntry(entries[(int)(i - log.FirstIndex)], history.At(i)))
                    throw new SimulationViolationException($"durability: committed entry {i} is no longer in {node.Id}'s log");
            }
            if (log.LatestSnapshot is { } snapshot && history.HashAt(snapshot.Index) != BinaryPrimitives.ReadUInt64BigEndian(snapshot.Data.Span))
                throw new SimulationViolationException($"durability: {node.Id}'s snapshot at {snapshot.Index} differs from the committed sequence");
        }
    }
}
