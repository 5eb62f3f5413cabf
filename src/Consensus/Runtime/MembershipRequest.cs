using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>What an operator asks of the group's configuration.</summary>
public enum MembershipOperation : byte
{
    /// <summary>Add a learner that any leader promotes to voter once it holds the log (the safe way to add a voter).</summary>
    AddVoter,

    /// <summary>Add a learner that stays one (a read replica, or a voter-to-be promoted by hand).</summary>
    AddLearner,

    /// <summary>Turn a learner into a voter.</summary>
    Promote,

    /// <summary>Remove a voter or a learner (the leader too: it steps down once the change commits).</summary>
    Remove,
}

/// <param name="Address">host:port of the new member (Add*); adding an existing member with a new address moves it.</param>
public sealed record MembershipRequest(MembershipOperation Operation, string PeerId, string? Address = null)
{
    /// <summary>The configuration after this request, or null with the reason it cannot apply to <paramref name="current"/>.</summary>
    public Membership? Apply(Membership current, out string? error)
    {
        ArgumentNullException.ThrowIfNull(current);
        error = null;
        Member? existing = current.Find(PeerId);
        string role = current.IsVoter(PeerId) ? "a voter" : "a learner";
        switch (Operation)
        {
            case MembershipOperation.AddVoter or MembershipOperation.AddLearner when string.IsNullOrWhiteSpace(Address):
                error = $"adding {PeerId} needs its address (host:port)";
                return null;
            case MembershipOperation.AddVoter or MembershipOperation.AddLearner when existing is not null:
                if (string.Equals(existing.Address, Address, StringComparison.OrdinalIgnoreCase))
                {
                    error = $"{PeerId} is already {role} at {Address}";
                    return null;
                }
                return current.WithAddress(PeerId, Address!);
            case MembershipOperation.AddVoter or MembershipOperation.AddLearner:
                return current.AddLearner(PeerId, Address!, promoteWhenCaughtUp: Operation == MembershipOperation.AddVoter);
            case MembershipOperation.Promote when !current.IsLearner(PeerId):
                error = existing is null ? $"{PeerId} is not a member" : $"{PeerId} is already a voter";
                return null;
            case MembershipOperation.Promote:
                return current.Promote(PeerId);
            case MembershipOperation.Remove when existing is null:
                error = $"{PeerId} is not a member";
                return null;
            case MembershipOperation.Remove when current.IsVoter(PeerId) && current.Voters.Count == 1:
                error = $"{PeerId} is the last voter; a group needs one";
                return null;
            default:
                return current.Remove(PeerId);
        }
    }
}

/// <summary>How a configuration change ended.</summary>
/// <param name="Committed">True when the change committed within the wait (it is then in effect on a majority and
/// permanent); false with <see cref="Error"/> null: appended but not known committed in time (it may still commit).</param>
/// <param name="Index">Log index of the configuration entry (-1 when nothing was appended).</param>
public sealed record MembershipChangeOutcome(MembershipChangeResult Result, bool Committed, long Index, Membership Membership, string? Error);
