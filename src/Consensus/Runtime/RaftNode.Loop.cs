using System.Diagnostics;
using System.Threading.Channels;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Consensus.Runtime;

/// <summary>The node loop: inputs in, core stepped, Readies handled.</summary>
public sealed partial class RaftNode
{
    private async Task RunLoopAsync()
    {
        var reader = _inputs.Reader;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (!HasQueuedWork && !await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false)) break;
                RunRound(reader);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            Halt(e);
        }
    }

    /// <summary>Work that does not come through the channel: ticks, control items, or a Ready the core holds.</summary>
    private bool HasQueuedWork => Volatile.Read(ref _pendingTicks) > 0 || !_control.IsEmpty || _core.HasReady;

    private void RunRound(ChannelReader<NodeInput> reader)
    {
        Volatile.Write(ref _wakeQueued, 0);
        int limit = _settings.MaxInputsPerRound;
        for (int i = 0; i < limit && reader.TryRead(out var input); i++) Handle(input);
        ProposeBatch();
        int ticks = Interlocked.Exchange(ref _pendingTicks, 0);
        for (int i = 0; i < ticks; i++) _core.Tick();
        DrainControl();
        for (int i = 0; i < _settings.MaxReadiesPerRound && _core.HasReady; i++) HandleReady(_core.GetReady());
        if (ticks > 0) ExpireWaitingAppends();
        PublishStateIfChanged();
        PublishProgress();
    }

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

    private void DrainControl()
    {
        while (_control.TryDequeue(out var item))
        {
            switch (item.Kind)
            {
                case ControlKind.PeerDisconnected:
                    _lastDisconnectedPeer = item.PeerId;
                    _core.ReportUnreachable(item.PeerId!);
                    break;
                case ControlKind.TransferLeadership:
                    _core.TransferLeadership(item.PeerId!);
                    break;
                case ControlKind.Flush:
                    FlushIfNeeded();
                    break;
                case ControlKind.Work:
                    item.Work!.Run();
                    break;
            }
        }
    }

    private void FlushIfNeeded()
    {
        if (!_unflushed) return;
        SyncLog(_unsyncedEntries);
        _unflushed = false;
    }

    /// <summary>Appends whose caller stopped waiting get Unknown; they stay queued (in order) until their index passes.</summary>
    private void ExpireWaitingAppends()
    {
        long now = Stopwatch.GetTimestamp();
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

    /// <summary>Stops taking part in the group after an error that makes this node's log or state untrustworthy.</summary>
    private void Halt(Exception e)
    {
        if (_haltReason is not null) return;
        _haltReason = e.Message;
        LogMessages.Halted(_logger, e, SelfId, e.Message);
        _inputs.Writer.TryComplete();
        FailAllPending(AppendStatus.Unknown);
        var previous = _status;
        _status = new NodeStatus(new SoftState(RaftRole.Follower, previous.State.Term, null), previous.Commit);
        if (previous.State.Role != RaftRole.Follower || previous.State.LeaderId is not null) _stateEvents.Writer.TryWrite(_status.State);
        // Peers must notice at once that this node is gone, as if its process had died.
        _haltedTransportStop = _transport.StopAsync(CancellationToken.None);
    }

    private async Task PumpInboundAsync()
    {
        var inbound = _transport.Inbound;
        try
        {
            while (await inbound.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (inbound.TryRead(out var payload))
                {
                    if (TryDecode(payload.From, payload.Payload) is { } message)
                        await _inputs.Writer.WriteAsync(NodeInput.ForMessage(message), _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
    }

    private Message? TryDecode(string from, byte[] payload)
    {
        Message message;
        try
        {
            message = MessageCodec.Decode(payload);
        }
        catch (FormatException e)
        {
            LogMessages.MessageUndecodable(_logger, SelfId, from, e.Message);
            return null;
        }
        if (string.Equals(message.From, from, StringComparison.Ordinal))
        {
            RecordHeardFrom(from);
            return message;
        }
        LogMessages.MessageSenderMismatch(_logger, SelfId, message.From, from);
        return null;
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(_options.TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _pendingTicks);
                Wake();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(_options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false)) EnqueueControl(new ControlItem(ControlKind.Flush));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
