namespace RaftMq.Consensus.Core;

/// <summary>Follower side of replication: Append, heartbeat and InstallSnapshot from the leader.</summary>
internal sealed partial class RaftCore
{
    private void HandleFromLeader(Message m)
    {
        if (_role == RaftRole.Leader)
        {
            throw Invariant($"two leaders in term {_term}: {SelfId} and {m.From}");
        }
        if (_role != RaftRole.Follower || !string.Equals(_leaderId, m.From, StringComparison.Ordinal))
        {
            BecomeFollower(_term, m.From);
        }
        _electionElapsed = 0;
        switch (m.Type)
        {
            case MessageType.Append:
                HandleAppend(m);
                break;
            case MessageType.Heartbeat:
                CommitTo(Math.Min(m.Commit, LastIndex));
                // The echoed tick tells the leader which heartbeat this answers (see HandleHeartbeatResponse).
                Send(new Message { Type = MessageType.HeartbeatResponse, From = SelfId, To = m.From, Term = _term, Index = m.Index });
                break;
            case MessageType.InstallSnapshot:
                HandleInstallSnapshot(m);
                break;
        }
    }

    private void HandleAppend(Message m)
    {
        // While a snapshot is being persisted the log is being replaced; the leader re-sends after our answer.
        if (_pendingSnapshot is not null) return;
        if (m.LogIndex < _commit)
        {
            // Everything up to our commit index already agrees with the leader; tell it where to continue.
            Send(new Message { Type = MessageType.AppendResponse, From = SelfId, To = m.From, Term = _term, Index = _commit, LogIndex = m.Index });
            return;
        }
        if (TermAtOrUnknown(m.LogIndex) != m.LogTerm)
        {
            SendAppendReject(m);
            return;
        }
        long lastNew = m.LogIndex + m.Entries.Count;
        if (m.Entries.Count > 0) AppendFromLeader(m.LogIndex, m.Entries);
        CommitTo(Math.Min(m.Commit, lastNew));
        // Sent with the Ready that persists these entries, so the acknowledgement never outruns the disk.
        Send(new Message { Type = MessageType.AppendResponse, From = SelfId, To = m.From, Term = _term, Index = lastNew, LogIndex = m.Index });
    }

    private void SendAppendReject(Message m)
    {
        long hintTerm = 0;
        long hintIndex = LastIndex + 1;
        if (m.LogIndex <= LastIndex)
        {
            hintTerm = TermAtOrUnknown(m.LogIndex);
            hintIndex = m.LogIndex;
            // Entries up to the commit index agree with every leader, so the scan stops there.
            while (hintIndex - 1 > _commit && TermAtOrUnknown(hintIndex - 1) == hintTerm) hintIndex--;
        }
        Send(new Message
        {
            Type = MessageType.AppendResponse, From = SelfId, To = m.From, Term = _term, Reject = true,
            Index = m.LogIndex, HintTerm = hintTerm, HintIndex = hintIndex, LogIndex = m.Index,
        });
    }

    /// <summary>
    /// Stores the leader's entries after the matching entry <paramref name="prevIndex"/>: skips those already
    /// present, truncates at the first conflict, and checks that byte positions agree with ours.
    /// </summary>
    private void AppendFromLeader(long prevIndex, IReadOnlyList<LogEntry> entries)
    {
        int conflict = -1;
        for (int i = 0; i < entries.Count; i++)
        {
            LogEntry entry = entries[i];
            if (entry.Index != prevIndex + 1 + i || (i > 0 && entry.Pos != entries[i - 1].EndPos))
            {
                throw Invariant($"Append from the leader is not contiguous at index {entry.Index} pos {entry.Pos}");
            }
            if (conflict < 0 && TermAtOrUnknown(entry.Index) != entry.Term) conflict = i;
        }
        if (conflict < 0)
        {
            LogEntry last = entries[^1];
            if (EndPosAt(last.Index) != last.EndPos)
            {
                throw Invariant($"entry {last.Index} ends at pos {EndPosAt(last.Index)} locally but at {last.EndPos} on the leader");
            }
            return;
        }
        LogEntry first = entries[conflict];
        if (first.Index <= _commit)
        {
            throw Invariant($"leader {_leaderId} conflicts with committed entry {first.Index} (commit {_commit})");
        }
        long expectedPos = EndPosAt(first.Index - 1);
        if (first.Pos != expectedPos)
        {
            throw Invariant($"entry {first.Index} has pos {first.Pos} from the leader but {expectedPos} locally");
        }
        TruncateAndAppend(entries, conflict);
    }

    private void HandleInstallSnapshot(Message m)
    {
        Snapshot? snapshot = m.Snapshot;
        if (snapshot is null) return;
        long answer;
        if (snapshot.Index <= _commit || _pendingSnapshot is not null)
        {
            answer = _pendingSnapshot?.Index ?? _commit;
        }
        else if (TermAtOrUnknown(snapshot.Index) == snapshot.Term)
        {
            // We already hold the snapshot's last entry: our log agrees up to there, no need to replace it.
            CommitTo(snapshot.Index);
            answer = snapshot.Index;
        }
        else
        {
            RestoreSnapshot(snapshot);
            answer = snapshot.Index;
        }
        Send(new Message
        {
            Type = MessageType.InstallSnapshotResponse, From = SelfId, To = m.From, Term = _term, Index = answer, LogIndex = m.Index,
        });
    }

    private void CommitTo(long index)
    {
        if (index <= _commit) return;
        _commit = index;
        OnCommitAdvanced();
    }
}
