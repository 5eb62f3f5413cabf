using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Runtime;

/// <summary>Inputs of a round: peer messages and proposals, batched; waiting appends and their expiry.</summary>
internal sealed partial class NodeDriver
{
    internal static readonly AppendOutcome BusyOutcome = new(AppendStatus.Busy, -1, -1, 0, null);

    internal static AppendOutcome NotLeaderOutcome(string? leaderId) => new(AppendStatus.NotLeader, -1, -1, 0, leaderId);

    private void Handle(in NodeInput input)
    {
        switch (input.Kind)
        {
            case NodeInputKind.Message:
                _core.Step(input.Message!);
                break;
            case NodeInputKind.Proposal:
                Propose(input);
                break;
        }
    }

    /// <summary>
    /// Proposals of one round go to the core as ONE batch: one Append per follower and one fsync carry all of them
    /// (instead of one message per caller). The batch is contiguous, so each caller's entries are a slice of it.
    /// </summary>
    private void Propose(in NodeInput input)
    {
        // Cancelled (or otherwise finished) before it reached the core: never appended.
        if (!input.Source!.IsPending(input.Version)) return;
        var payloads = input.Payloads!;
        for (int i = 0; i < payloads.Count; i++)
        {
            _batchPayloads.Add(payloads[i]);
            _batchBytes += payloads[i].Length + EntryLayout.HeaderSize;
        }
        _batchInputs.Add(input);
        if (_batchBytes >= MaxProposalBatchBytes) ProposeBatch();
    }

    private void ProposeBatch()
    {
        if (_batchInputs.Count == 0) return;
        long next = _core.LastIndex + 1;
        var result = _core.Propose(_batchPayloads);
        long term = _core.SoftState.Term;
        foreach (var input in _batchInputs)
        {
            if (result == ProposeResult.Accepted)
            {
                long count = input.Payloads!.Count;
                _pending.Add(new PendingProposal
                {
                    Source = input.Source!, Version = input.Version, FirstIndex = next, LastIndex = next + count - 1,
                    Term = term, StartedAt = input.StartedAt, Deadline = input.Deadline, Pos = -1,
                });
                next += count;
            }
            else
            {
                input.Source!.TryComplete(input.Version, result == ProposeResult.NotLeader ? NotLeaderOutcome(_core.SoftState.LeaderId) : BusyOutcome);
            }
        }
        _batchInputs.Clear();
        _batchPayloads.Clear();
        _batchBytes = 0;
    }

    /// <summary>Appends whose caller stopped waiting get Unknown; they stay queued (in order) until their index passes.</summary>
    private void ExpireWaitingAppends(long now)
    {
        for (int i = 0; i < _pending.Count; i++)
        {
            ref var proposal = ref _pending[i];
            if (proposal.Deadline <= now) proposal.Source.TryComplete(proposal.Version, proposal.Outcome(AppendStatus.Unknown));
        }
    }

    private void FailAllPending(AppendStatus status)
    {
        while (_pending.Count > 0)
        {
            ref var head = ref _pending.Head;
            head.Source.TryComplete(head.Version, head.Outcome(status));
            _pending.RemoveHead();
        }
    }
}
