using System.Globalization;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>The Raft group: leadership transfer (9001) and the member's status (9002).</summary>
public sealed partial class AdminProcessor
{
    private RemotingCommand TransferLeadership(RemotingContext context, RemotingCommand request)
    {
        string target = HeaderFields.RequiredString(request.ExtFields, "targetId");
        if (target == _leadership.SelfId) return request.CreateResponse(ResponseCode.SystemError, $"{target} is this node; name another member");
        var status = _leadership.Status;
        if (status is not null && !status.Peers.Any(peer => peer.Id == target))
        {
            return request.CreateResponse(ResponseCode.SystemError,
                $"{target} is not a member of group {status.Group} (members: {string.Join(", ", status.Peers.Select(peer => peer.Id))})");
        }
        if (!_leadership.TransferLeadership(target)) return Responses.NotMaster(request, _options.BrokerName, _leadership.State.LeaderId);
        LogMessages.AdminAction(_logger, context.RemoteAddress, $"leadership transfer from {_leadership.SelfId} to {target} started");
        return request.CreateResponse(ResponseCode.Success, $"leadership transfer to {target} started{PreferredLeaderNote(status, target)}");
    }

    /// <summary>With preferredLeaderId set, the leader hands leadership back to the preferred member once it has caught
    /// up: a transfer elsewhere lasts only until then.</summary>
    private static string PreferredLeaderNote(RaftMemberStatus? status, string target) =>
        status?.PreferredLeaderId is { } preferred && preferred != target
            ? $"; note: preferredLeaderId={preferred} is set, so {target} will hand leadership back to {preferred} once {preferred} has caught up"
            : "";

    private RemotingCommand RaftStatus(RemotingCommand request)
    {
        if (_leadership.Status is not { } status)
            return request.CreateResponse(ResponseCode.SystemError, "this broker's log does not report a Raft status");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(ToBody(status));
        return response;
    }

    internal static RaftStatusBody ToBody(RaftMemberStatus status)
    {
        var body = new RaftStatusBody
        {
            SelfId = status.SelfId, Group = status.Group, Role = RoleName(status.Role), Term = status.Term, LeaderId = status.LeaderId,
            CommitIndex = status.CommitIndex, AppliedIndex = status.AppliedIndex, LastIndex = status.LastIndex,
            PreferredLeaderId = status.PreferredLeaderId, HaltReason = status.HaltReason,
        };
        foreach (var peer in status.Peers)
        {
            body.Peers.Add(new RaftPeerStatusBody
            {
                Id = peer.Id, Self = peer.IsSelf, MatchIndex = peer.MatchIndex, MatchLag = peer.MatchLag,
                LastContactMs = peer.SinceLastHeard is { } since ? (long)since.TotalMilliseconds : -1,
                Learner = peer.IsLearner, Address = peer.Address,
            });
        }
        body.MembershipIndex = status.MembershipIndex;
        return body;
    }

    /// <summary>Raft keys of GET_BROKER_RUNTIME_INFO: indexes and, on the leader, each follower's match lag.</summary>
    private void AddRaftRuntimeInfo(Dictionary<string, string> table)
    {
        if (_leadership.Status is not { } status) return;
        table["raftCommitIndex"] = Text(status.CommitIndex);
        table["raftAppliedIndex"] = Text(status.AppliedIndex);
        table["raftLastIndex"] = Text(status.LastIndex);
        table["raftApplyLag"] = Text(Math.Max(0, status.CommitIndex - status.AppliedIndex));
        if (status.PreferredLeaderId is { } preferred) table["raftPreferredLeaderId"] = preferred;
        // Every member, so that tools can show a member that is down and no longer registered with the name servers.
        table["raftPeers"] = string.Join(',', status.Peers.Select(peer => peer.Id));
        if (status.Role != RaftRole.Leader) return;
        foreach (var peer in status.Peers.Where(peer => !peer.IsSelf))
        {
            table[string.Create(CultureInfo.InvariantCulture, $"raftFollower.{peer.Id}.matchIndex")] = Text(peer.MatchIndex);
            table[string.Create(CultureInfo.InvariantCulture, $"raftFollower.{peer.Id}.matchLag")] = Text(peer.MatchLag);
        }
    }
}
