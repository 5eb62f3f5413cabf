using Microsoft.Extensions.Logging;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// A stopping leader hands its leadership to a follower before it closes its ports, so that the group is never
/// without a leader. The Raft core tells a transfer target to campaign only once it holds every entry the leader
/// has (and refuses new appends meanwhile), so a healthy follower takes over within a round trip. The followers are
/// asked in turn, a short slice each, so one that is still catching up (just restarted, in a rolling restart) does
/// not hold the hand-over: the first follower that is fully caught up wins.
/// </summary>
public sealed class LeaderHandOver
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    private readonly IReplicatedLog _log;
    private readonly IReadOnlyList<string> _peerIds;
    private readonly HandOverWatch _watch;
    private readonly ILogger _logger;

    public LeaderHandOver(IReplicatedLog log, IReadOnlyList<string> peerIds, HandOverWatch watch, ILogger logger)
    {
        _log = log;
        _peerIds = peerIds;
        _watch = watch;
        _logger = logger;
    }

    /// <summary>
    /// When this node is leader: hands over and waits until another node leads, at most <paramref name="limit"/>.
    /// True when another node leads at the end (or this node was not leader).
    /// </summary>
    public async Task<bool> RunAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var state = _log.State;
        if (state.Role != RaftRole.Leader) return true;
        var followers = _peerIds.Where(id => id != _log.SelfId).ToArray();
        if (followers.Length == 0 || limit <= TimeSpan.Zero) return false;
        long started = Environment.TickCount64;
        long deadline = started + (long)limit.TotalMilliseconds;
        _watch.Started();
        for (int attempt = 0; Environment.TickCount64 < deadline; attempt++)
        {
            string target = followers[attempt % followers.Length];
            if (!_log.TransferLeadership(target)) break; // no longer leader: someone else took over already
            LogMessages.HandingOver(_logger, state.Term, target);
            long sliceEnd = Math.Min(deadline, Environment.TickCount64 + (long)Slice.TotalMilliseconds);
            while (Environment.TickCount64 < sliceEnd && _log.State.Role == RaftRole.Leader)
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
            if (_log.State.Role != RaftRole.Leader) break;
        }
        // Stepped down; wait (same deadline) until the successor is known, so held requests can be forwarded to it.
        while (Environment.TickCount64 < deadline && !HasOtherLeader(_log.State))
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        if (HasOtherLeader(_log.State))
        {
            LogMessages.HandedOver(_logger, _log.State.LeaderId!, Environment.TickCount64 - started);
            return true;
        }
        LogMessages.HandOverTimedOut(_logger, (long)limit.TotalMilliseconds);
        return false;
    }

    private bool HasOtherLeader(SoftState state) => state.LeaderId is { } leader && leader != _log.SelfId;
}
