namespace RaftMq.Consensus.Core;

/// <summary>Leadership transfer (TimeoutNow) and the preferred-leader handover.</summary>
internal sealed partial class RaftCore
{
    /// <summary>How many election timeouts to wait before retrying a handover to the preferred leader that aborted.</summary>
    private const int PreferredRetryElectionTimeouts = 5;

    private int _transferTarget = -1;
    private int _transferElapsed;
    private long _preferredRetryAtTick;

    /// <summary>
    /// Starts handing leadership to <paramref name="target"/>: proposals are refused (Transferring) while the
    /// target is caught up and told to campaign at once; after one election timeout without success the leader
    /// aborts and resumes. False when this node is not the leader or the target is not a voter.
    /// </summary>
    public bool TransferLeadership(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_role != RaftRole.Leader) return false;
        int peer = IndexOfPeer(target);
        if (peer < 0 || !_isVoter[peer]) return false;
        if (peer == _selfIndex) return true;
        StartTransfer(peer);
        return true;
    }

    private void StartTransfer(int peer)
    {
        if (_transferTarget == peer) return;
        _transferTarget = peer;
        _transferElapsed = 0;
        Progress progress = _progress[peer];
        if (progress.Match == LastIndex || (_bugs & PlantedBugs.TimeoutNowBeforeCaughtUp) != 0)
        {
            SendTimeoutNow(progress);
        }
        else
        {
            if (progress.State == ProgressState.Probe) progress.ProbeSent = false;
            SendAppends(progress);
        }
    }

    private void TickTransfer()
    {
        if (_transferTarget < 0) return;
        if (++_transferElapsed < _options.ElectionTicks) return;
        if (_transferTarget == _preferredIndex)
        {
            // Do not flap: a preferred node that could not take over gets a few election timeouts of rest.
            _preferredRetryAtTick = _ticks + (long)PreferredRetryElectionTimeouts * _options.ElectionTicks;
        }
        _transferTarget = -1;
        _transferElapsed = 0;
    }

    /// <summary>The transfer target just caught up: tell it to campaign now.</summary>
    private void MaybeSendTimeoutNow(Progress progress)
    {
        if (_transferTarget >= 0 && ReferenceEquals(_progress[_transferTarget], progress) && progress.Match == LastIndex)
        {
            SendTimeoutNow(progress);
        }
    }

    private void SendTimeoutNow(Progress progress) =>
        Send(new Message { Type = MessageType.TimeoutNow, From = SelfId, To = progress.Id, Term = _term });

    private void HandleTimeoutNow()
    {
        if (_role == RaftRole.Leader || !Promotable || !MayCampaign || _pendingSnapshot is not null) return;
        // Skip pre-vote: the leader itself asked, and voters must grant despite its lease (Transfer = true).
        Campaign(transfer: true);
    }

    /// <summary>On heartbeat ticks: hand over to the preferred leader once it holds everything we hold.</summary>
    private void ConsiderPreferredLeader()
    {
        if (_preferredIndex < 0 || _preferredIndex == _selfIndex || _transferTarget >= 0) return;
        if (_ticks < _preferredRetryAtTick) return;
        Progress preferred = _progress[_preferredIndex];
        if (preferred.Match == LastIndex && _commit == LastIndex)
        {
            StartTransfer(_preferredIndex);
        }
    }
}
