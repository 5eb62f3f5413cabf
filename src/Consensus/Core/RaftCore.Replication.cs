namespace RaftMq.Consensus.Core;

/// <summary>Leader side of log replication: proposals, Append/heartbeat sending, acknowledgements, commit.</summary>
internal sealed partial class RaftCore
{
    /// <summary>(last index, bytes) of each accepted proposal batch not yet committed, oldest first.</summary>
    private readonly Queue<(long LastIndex, long Bytes)> _uncommitted = new();
    private long _uncommittedBytes;

    /// <summary>
    /// Appends one entry per payload (contiguous, in order) when this node is the leader; all or none. The new
    /// entries are LastIndex+1 .. LastIndex+payloads.Count as read before the call.
    /// </summary>
    public ProposeResult Propose(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (_role != RaftRole.Leader) return ProposeResult.NotLeader;
        if (_transferTarget >= 0) return ProposeResult.Transferring;
        if (payloads.Count == 0) return ProposeResult.Accepted;
        long bytes = 0;
        for (int i = 0; i < payloads.Count; i++) bytes += EntryLayout.HeaderSize + payloads[i].Length;
        // One batch larger than the limit is still admitted when nothing else is pending, or it could never go.
        if (_uncommittedBytes > 0 && _uncommittedBytes + bytes > _options.MaxUncommittedBytes) return ProposeResult.Busy;

        long index = LastIndex;
        long pos = NextPos;
        for (int i = 0; i < payloads.Count; i++)
        {
            var entry = new LogEntry(++index, _term, pos, EntryType.Normal, payloads[i]);
            pos = entry.EndPos;
            AppendOwn(entry);
        }
        _uncommitted.Enqueue((index, bytes));
        _uncommittedBytes += bytes;
        _appendedBytesThisTick += bytes;
        BroadcastAppend();
        return ProposeResult.Accepted;
    }

    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _options.ElectionTicks)
        {
            _electionElapsed = 0;
            if ((_bugs & PlantedBugs.NoCheckQuorum) == 0 && !QuorumRecentlyActive())
            {
                // Check-quorum: a leader cut off from its majority must stop acting as one (its lease expired,
                // the others may already have elected someone else).
                BecomeFollower(_term, null);
                return;
            }
        }
        if (_role != RaftRole.Leader) return;
        TickTransfer();
        TickStalledFollowers();
        TickCatchUpPacing();
        if (_heartbeatElapsed >= _options.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
            ConsiderPreferredLeader();
            ConsiderPromotions();
        }
    }

    /// <summary>True when a majority of the voters (self included when a voter) was heard from since the last check;
    /// resets the marks.</summary>
    private bool QuorumRecentlyActive()
    {
        int active = 0;
        for (int i = 0; i < _progress.Length; i++)
        {
            if (_isVoter[i] && (i == _selfIndex || _progress[i].RecentActive)) active++;
            _progress[i].RecentActive = false;
        }
        return active >= _quorum;
    }

    /// <summary>
    /// A follower whose Appends go unanswered for half an election timeout (lost messages) falls back to probe,
    /// which re-sends from its last known match; a pending snapshot that is not answered is re-sent the same way.
    /// </summary>
    private void TickStalledFollowers()
    {
        int limit = Math.Max(2, _options.ElectionTicks / 2);
        for (int i = 0; i < _progress.Length; i++)
        {
            if (i == _selfIndex) continue;
            Progress progress = _progress[i];
            bool waiting = progress.State == ProgressState.Snapshot
                || (progress.State == ProgressState.Replicate && progress.Match < progress.Next - 1);
            if (!waiting) continue;
            if (++progress.StallTicks >= limit) progress.BecomeProbe();
        }
    }

    private void BroadcastHeartbeat()
    {
        for (int i = 0; i < _progress.Length; i++)
        {
            if (i == _selfIndex) continue;
            Progress progress = _progress[i];
            Send(new Message
            {
                Type = MessageType.Heartbeat, From = SelfId, To = progress.Id, Term = _term,
                Commit = Math.Min(_commit, progress.Match), Index = _ticks,
            });
        }
    }

    private void BroadcastAppend()
    {
        for (int i = 0; i < _progress.Length; i++)
        {
            if (i != _selfIndex) SendAppends(_progress[i]);
        }
    }

    /// <summary>Sends Appends to one follower until its window is full, its catch-up credit is spent (when it is
    /// paced) or it has everything.</summary>
    private void SendAppends(Progress progress)
    {
        bool paced = IsPaced(progress);
        while (!progress.IsPaused && progress.Next <= LastIndex)
        {
            if (paced && progress.CatchUpCredit <= 0) return; // the next tick refills it
            long sent = SendAppend(progress, allowEmpty: false);
            if (paced) progress.CatchUpCredit -= sent;
        }
    }

    /// <summary>Sends one Append (or the snapshot, when the follower needs compacted entries); returns the entry
    /// bytes it carried.</summary>
    private long SendAppend(Progress progress, bool allowEmpty)
    {
        long prevIndex = progress.Next - 1;
        long prevTerm = TermAtOrUnknown(prevIndex);
        if (prevTerm < 0 || progress.Next < FirstIndex)
        {
            SendSnapshot(progress);
            return 0;
        }
        IReadOnlyList<LogEntry> entries = EntriesBetween(progress.Next, LastIndex, _options.MaxAppendBytes);
        if (entries.Count == 0 && !allowEmpty) return 0;
        Send(new Message
        {
            Type = MessageType.Append, From = SelfId, To = progress.Id, Term = _term,
            LogIndex = prevIndex, LogTerm = prevTerm, Entries = entries, Commit = _commit, Index = progress.StampSend(),
        });
        long bytes = BytesOf(entries);
        if (progress.State == ProgressState.Replicate)
        {
            if (entries.Count > 0) progress.SentOptimistically(entries[^1].Index, bytes, _ticks);
        }
        else
        {
            progress.SentProbe(_ticks);
        }
        return bytes;
    }

    private void SendSnapshot(Progress progress)
    {
        Snapshot snapshot = _log.LatestSnapshot
            ?? throw Invariant($"follower {progress.Id} needs index {progress.Next} below the first index {FirstIndex} but there is no snapshot");
        progress.BecomeSnapshot(snapshot.Index);
        Send(new Message
        {
            Type = MessageType.InstallSnapshot, From = SelfId, To = progress.Id, Term = _term,
            Commit = _commit, Snapshot = snapshot, Index = progress.StampSend(),
        });
    }

    private void HandleLeaderResponse(Message m, Progress progress)
    {
        progress.RecentActive = true;
        progress.LastHeardTick = _ticks;
        switch (m.Type)
        {
            case MessageType.AppendResponse when m.Reject:
                HandleAppendRejected(m, progress);
                break;
            case MessageType.AppendResponse:
            case MessageType.InstallSnapshotResponse:
                // Answers echo the request's send sequence in LogIndex. One sent before the follower was found to
                // have lost its log may acknowledge entries it no longer holds: counting it could commit them.
                if (progress.PredatesLostEntries(m.LogIndex)) break;
                HandleAppendAccepted(m.Index, progress, fromSnapshot: m.Type == MessageType.InstallSnapshotResponse);
                break;
            case MessageType.HeartbeatResponse:
                HandleHeartbeatResponse(progress, m.Index);
                break;
        }
    }

    private void HandleAppendAccepted(long index, Progress progress, bool fromSnapshot)
    {
        bool advanced = progress.TryAdvanceMatch(index);
        if (fromSnapshot || progress.State == ProgressState.Snapshot)
        {
            if (progress.State == ProgressState.Snapshot && progress.Match < progress.PendingSnapshot) return;
            progress.BecomeProbe();
        }
        else if (progress.State == ProgressState.Probe)
        {
            // The follower confirmed its match: stream from there. An older answer just unpauses the probe.
            if (advanced || index == progress.Match) progress.BecomeReplicate();
            else progress.ProbeSent = false;
        }
        else if (progress.State == ProgressState.Replicate)
        {
            progress.Inflights.FreeUpTo(index);
        }
        if (advanced && MaybeCommit() && _transferTarget < 0)
        {
            // Followers learn the new commit index with the next Append; nudge the idle ones now.
            BroadcastCommit();
        }
        if (_role != RaftRole.Leader) return; // stepped down: its own removal committed
        SendAppends(progress);
        MaybeSendTimeoutNow(progress);
    }

    private static long BytesOf(IReadOnlyList<LogEntry> entries)
    {
        long bytes = 0;
        for (int i = 0; i < entries.Count; i++) bytes += entries[i].Size;
        return bytes;
    }

    /// <summary>
    /// A heartbeat answer unpauses a probe or a full window (the paused message may have been lost), but only when it
    /// answers a heartbeat sent after the pause began: a follower resuming from a freeze answers every heartbeat
    /// queued for it at once, and re-sending a full Append for each stale answer would bury the leader's loop in
    /// backlog reads (and delay the heartbeats of the healthy followers past their election timeout).
    /// </summary>
    private void HandleHeartbeatResponse(Progress progress, long echoedTick)
    {
        bool unpause = progress.HeartbeatAnswerUnpauses(echoedTick, _ticks, _options.HeartbeatTicks);
        if (progress.State == ProgressState.Probe)
        {
            if (!unpause) return;
            progress.ProbeSent = false;
        }
        else if (progress.State == ProgressState.Replicate && progress.Inflights.Full)
        {
            if (!unpause) return;
            progress.Inflights.FreeFirst();
        }
        if (progress.Match < LastIndex)
        {
            SendAppends(progress);
        }
        else if (progress.State == ProgressState.Probe && !progress.ProbeSent)
        {
            // Nothing new to send, but the follower's log is unconfirmed since it went unreachable (it may have
            // restarted with its log wiped): an empty probe confirms Match, or exposes the loss.
            SendAppend(progress, allowEmpty: true);
        }
    }

    /// <summary>Sends an empty Append carrying the new commit index to followers with nothing in flight.</summary>
    private void BroadcastCommit()
    {
        for (int i = 0; i < _progress.Length; i++)
        {
            if (i == _selfIndex) continue;
            Progress progress = _progress[i];
            if (progress.State == ProgressState.Replicate && progress.Next > LastIndex && progress.Inflights.Count == 0)
            {
                SendAppend(progress, allowEmpty: true);
            }
        }
    }

    /// <summary>Advances the commit index to what a majority of the voters holds durably, if that entry is of the
    /// current term; true when it advanced and this node still leads.</summary>
    private bool MaybeCommit()
    {
        int voters = 0;
        for (int i = 0; i < _progress.Length; i++)
        {
            // The leader's own entries count only once persisted (Advanced): in SYNC_FLUSH an entry counts after its fsync.
            if (_isVoter[i]) _matchScratch[voters++] = i == _selfIndex ? StableLastIndex : _progress[i].Match;
        }
        long majority = Quorum.MajorityIndex(_matchScratch);
        if (majority <= _commit) return false;
        // Raft Figure 8: replicas of an earlier term's entry may still be overwritten, so only an entry of the
        // current term is committed by counting (earlier ones follow it by the log matching property).
        if (TermAtOrUnknown(majority) != _term && (_bugs & PlantedBugs.CommitOldTermByCounting) == 0) return false;
        _commit = majority;
        while (_uncommitted.Count > 0 && _uncommitted.Peek().LastIndex <= _commit)
        {
            _uncommittedBytes -= _uncommitted.Dequeue().Bytes;
        }
        OnCommitAdvanced();
        return _role == RaftRole.Leader;
    }

    private void ClearLeaderState()
    {
        _uncommitted.Clear();
        _uncommittedBytes = 0;
        _appendedBytesThisTick = 0;
        _appendRatePerTick = 0;
        _transferTarget = -1;
        _transferElapsed = 0;
    }
}
