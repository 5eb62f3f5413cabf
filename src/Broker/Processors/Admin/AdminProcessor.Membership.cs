using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>Changes of the Raft group's members: add (9003), remove (9004), promote (9005). Served by the leader, which
/// answers once the change committed (or says it could not tell in time).</summary>
public sealed partial class AdminProcessor
{
    /// <summary>How long the leader waits for a change to commit before answering that it is still pending (below the
    /// admin client's 3 s request timeout).</summary>
    private static readonly TimeSpan MembershipCommitWait = TimeSpan.FromSeconds(2.5);

    private async Task<RemotingCommand> ChangeMembershipAsync(RemotingContext context, RemotingCommand request, CancellationToken ct)
    {
        string peerId = HeaderFields.RequiredString(request.ExtFields, "peerId").Trim();
        if (peerId.Length == 0 || peerId.Any(c => char.IsWhiteSpace(c) || c is '-' or ':' or ';'))
            return request.CreateResponse(ResponseCode.SystemError, $"'{peerId}' is not a valid dLegerSelfId (no whitespace, '-', ':' or ';')");
        MembershipRequest change;
        if (request.Code == RaftMqRequestCode.AddPeer)
        {
            string address = HeaderFields.RequiredString(request.ExtFields, "address").Trim();
            if (!IsHostAndPort(address))
                return request.CreateResponse(ResponseCode.SystemError, $"address '{address}' is not host:port (the peer port of dLegerPeers)");
            bool learner = HeaderFields.OptionalString(request.ExtFields, "learner") is { } text && bool.TryParse(text, out bool parsed) && parsed;
            change = new MembershipRequest(learner ? MembershipOperation.AddLearner : MembershipOperation.AddVoter, peerId, address);
        }
        else
        {
            change = new MembershipRequest(request.Code == RaftMqRequestCode.RemovePeer ? MembershipOperation.Remove : MembershipOperation.Promote, peerId);
        }
        if (_leadership.ChangeMembershipAsync(change, MembershipCommitWait, ct) is not { } pending)
            return request.CreateResponse(ResponseCode.SystemError, "this broker's log has no replicated membership");
        MembershipChangeOutcome outcome = await pending.ConfigureAwait(false);
        var response = Answer(request, change, outcome, context);
        // A classic slave joining learns where its master listens for Raft traffic from this field.
        if (outcome.Result != MembershipChangeResult.NotLeader && outcome.Membership.Find(_leadership.SelfId) is { Address.Length: > 0 } self)
            response.ExtFields.Set(MasterSlave.SlaveJoiner.LeaderPeerAddressField, self.Address);
        return response;
    }

    private RemotingCommand Answer(RemotingCommand request, MembershipRequest change, MembershipChangeOutcome outcome, RemotingContext context)
    {
        string peerId = change.PeerId;
        switch (outcome.Result)
        {
            case MembershipChangeResult.NotLeader:
                return Responses.NotMaster(request, _options.BrokerName, _leadership.State.LeaderId);
            case MembershipChangeResult.Accepted:
                string what = $"{change.Operation} {peerId} at index {outcome.Index}: {outcome.Membership}";
                LogMessages.AdminAction(_logger, context.RemoteAddress, $"membership change {what}");
                return outcome.Committed
                    ? request.CreateResponse(ResponseCode.Success, $"committed {what}{(_options.ClassicRole is null ? FollowUp(change) : "")}")
                    : request.CreateResponse(ResponseCode.SystemBusy, $"appended but not committed within {MembershipCommitWait.TotalSeconds} s (it may still commit; check raftStatus): {what}");
            case MembershipChangeResult.ChangeInProgress or MembershipChangeResult.Transferring:
                return request.CreateResponse(ResponseCode.SystemBusy, outcome.Error ?? "retry");
            default:
                return request.CreateResponse(ResponseCode.SystemError, $"{outcome.Error} (configuration: {outcome.Membership})");
        }
    }

    private static string FollowUp(MembershipRequest change) => change.Operation switch
    {
        MembershipOperation.AddVoter => $"; start {change.PeerId} (empty store, dLegerSelfId={change.PeerId}); it joins as a learner and the leader promotes it to voter once it has caught up",
        MembershipOperation.AddLearner => $"; start {change.PeerId} (empty store, dLegerSelfId={change.PeerId}); promote it with promotePeer once it has caught up (raftStatus shows its lag)",
        MembershipOperation.Remove => $"; {change.PeerId} can be stopped now",
        _ => "",
    };

    private static bool IsHostAndPort(string address)
    {
        int colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), out int port) && port is > 0 and < 65536
            && !address.Any(c => char.IsWhiteSpace(c) || c is ';');
    }
}
