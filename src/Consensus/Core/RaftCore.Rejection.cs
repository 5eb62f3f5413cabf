namespace RaftMq.Consensus.Core;

/// <summary>Leader side of refused Appends: conflict back-off, and followers that lost acknowledged entries.</summary>
internal sealed partial class RaftCore
{
    private void HandleAppendRejected(Message m, Progress progress)
    {
        if (FollowerLostEntries(m, progress))
        {
            // Its log was wiped or opened empty while it kept its hard state: probe again from what it says it
            // holds (or send the snapshot), as if it were new.
            progress.ForgetMatch();
        }
        else if (m.Index <= progress.Match)
        {
            return; // stale: answers a request from before the follower acknowledged Match
        }
        else if (progress.State == ProgressState.Snapshot || (progress.State == ProgressState.Probe && m.Index != progress.Next - 1))
        {
            return; // an answer to an earlier probe
        }
        long next = NextIndexFromHint(m);
        progress.BecomeProbe();
        progress.Next = Math.Clamp(next, progress.Match + 1, Math.Max(progress.Match + 1, m.Index));
        SendAppend(progress, allowEmpty: true);
    }

    /// <summary>
    /// A follower that acknowledged Match never again refuses an entry at or below Match of this leader's log, nor
    /// reports a log shorter than Match: it only truncates entries that conflict with the leader's. So a refusal
    /// saying either, answering a request sent after Match was learnt (the echoed sequence tells, which rules out
    /// delayed or duplicated refusals from before the acknowledgement), proves the follower lost entries.
    /// </summary>
    private static bool FollowerLostEntries(Message m, Progress progress)
    {
        if (progress.Match == 0 || !progress.AnswersRequestSentAfterMatch(m.LogIndex)) return false;
        bool refusedMatchedEntry = m.Index <= progress.Match;
        bool logShorterThanMatch = m.HintTerm == 0 && m.HintIndex - 1 < progress.Match;
        return refusedMatchedEntry || logShorterThanMatch;
    }

    /// <summary>
    /// Conflict-term back-off: when the leader has entries of the follower's conflicting term, resume right after
    /// its last one (the follower keeps the agreeing part of that term); otherwise skip the follower's whole
    /// term. One round trip per diverging term instead of one per entry.
    /// </summary>
    private long NextIndexFromHint(Message m)
    {
        if (m.HintTerm <= 0) return m.HintIndex;
        long index = Math.Min(m.Index, LastIndex);
        long floor = FirstIndex - 1;
        while (index > floor)
        {
            long term = TermAtOrUnknown(index);
            if (term == m.HintTerm) return index + 1;
            if (term < m.HintTerm) break;
            index--;
        }
        return m.HintIndex;
    }
}
