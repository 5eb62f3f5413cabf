namespace RaftMq.Consensus.Core;

/// <summary>
/// Pacing of far-behind followers (issue 13: a follower resumed from a 30 s freeze was caught up at ten times the
/// produce rate, and on a shared machine the producers fell to a third meanwhile). While proposals flow and the other
/// voters form a quorum without it, a far-behind follower is sent at most <see cref="RaftOptions.CatchUpRateMultiplier"/>
/// times the leader's own append rate per tick. Everything is counted in ticks and bytes, so the simulator replays it.
/// </summary>
internal sealed partial class RaftCore
{
    /// <summary>Entry bytes proposed since the last tick.</summary>
    private long _appendedBytesThisTick;

    /// <summary>Proposed entry bytes per tick, averaged over about eight ticks.</summary>
    private long _appendRatePerTick;

    /// <summary>Updates the append rate and refills every paced follower's credit, resuming those that waited for it.</summary>
    private void TickCatchUpPacing()
    {
        _appendRatePerTick += (_appendedBytesThisTick - _appendRatePerTick) / 8;
        // The integer average never decays below 8 on its own; an idle tick with a small rate is idle.
        if (_appendedBytesThisTick == 0 && _appendRatePerTick < 8) _appendRatePerTick = 0;
        _appendedBytesThisTick = 0;
        if (_options.CatchUpRateMultiplier == 0) return;
        long refill = Math.Max(_options.MinCatchUpBytesPerTick, _appendRatePerTick * _options.CatchUpRateMultiplier);
        for (int i = 0; i < _progress.Length; i++)
        {
            if (i == _selfIndex) continue;
            Progress progress = _progress[i];
            bool starved = progress.CatchUpCredit <= 0;
            // One tick's worth, plus what is left of the last (a burst of two ticks at most).
            progress.CatchUpCredit = Math.Min(progress.CatchUpCredit + refill, 2 * refill);
            if (starved && progress.CatchUpCredit > 0 && progress.State == ProgressState.Replicate) SendAppends(progress);
        }
    }

    /// <summary>
    /// True when appends to <paramref name="progress"/> are paced: pacing is on, proposals are flowing, the follower
    /// is streaming (replicate) but more than <see cref="RaftOptions.CatchUpLagEntries"/> behind, and the leader with
    /// the other voters that are streaming, close to the head and heard from within half an election timeout make a quorum
    /// without it.
    /// </summary>
    private bool IsPaced(Progress progress)
    {
        if (_options.CatchUpRateMultiplier == 0 || _appendRatePerTick == 0) return false;
        if (progress.State != ProgressState.Replicate || LastIndex - progress.Match <= _options.CatchUpLagEntries) return false;
        int healthy = 0;
        for (int i = 0; i < _progress.Length; i++)
        {
            if (!_isVoter[i] || ReferenceEquals(_progress[i], progress)) continue;
            if (i == _selfIndex) { healthy++; continue; }
            Progress other = _progress[i];
            // Streaming, close to the head, and heard from within half an election timeout: a peer whose connection
            // closed is probed (not streaming), a frozen one stops answering.
            bool streaming = other.State == ProgressState.Replicate && LastIndex - other.Match <= _options.CatchUpLagEntries;
            bool heard = _ticks - other.LastHeardTick <= Math.Max(2, _options.ElectionTicks / 2);
            if (streaming && heard) healthy++;
        }
        return healthy >= _quorum;
    }
}
