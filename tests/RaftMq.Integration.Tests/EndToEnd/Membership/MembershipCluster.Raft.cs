using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Integration.Tests.EndToEnd.Membership;

/// <summary>The group seen through the admin verbs: raftStatus (9002), addPeer/removePeer/promotePeer (9003-9005) and the
/// name server's route.</summary>
public sealed partial class MembershipCluster
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The leader's raftStatus answer (the writable leader with the highest term among the nodes the name
    /// server lists), or null when there is none right now.</summary>
    public async Task<RaftStatusBody?> LeaderStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await Admin.GetRaftStatusAsync(GroupName, cancellationToken);
            return nodes.Select(node => node.Status).OfType<RaftStatusBody>()
                .Where(status => status.Role == "LEADER").OrderByDescending(status => status.Term).FirstOrDefault();
        }
        catch (MQException)
        {
            return null; // the group is not registered right now (all its nodes restarting)
        }
    }

    /// <summary>Waits for a leader; returns its status.</summary>
    public Task<RaftStatusBody> WaitForLeaderAsync() =>
        Poll.UntilAsync(LeaderStatusAsync, Deadline, PollInterval, "a group leader", CancellationToken.None);

    /// <summary>The node that leads now.</summary>
    public async Task<MemberNode> LeaderAsync()
    {
        var status = await WaitForLeaderAsync();
        return _members.Single(member => member.Id == status.SelfId);
    }

    /// <summary>
    /// Asks the leader for a membership change (through the admin client, as <c>raftmq admin addPeer/removePeer/promotePeer</c>
    /// does) until the leader's raftStatus satisfies <paramref name="done"/>. A refusal (another change in flight, a
    /// leader change, a commit that took longer than the verb waits) is asked again.
    /// </summary>
    public Task ChangeAsync(int requestCode, MemberNode node, Func<RaftStatusBody, bool> done, bool learner = false, string? what = null) =>
        Poll.UntilTrueAsync(async token =>
        {
            var status = await LeaderStatusAsync(token);
            if (status is not null && done(status)) return true;
            try
            {
                string? address = requestCode == AdminRequestCodes.AddPeer ? node.RaftAddress : null;
                await Admin.ChangeRaftMembershipAsync(GroupName, requestCode, node.Id, address, learner, token);
            }
            catch (MQException)
            {
                // SYSTEM_BUSY (retry, or not committed within the verb's wait) or not the master: look again
            }
            return false;
        }, Deadline, PollInterval, what ?? $"change {requestCode} of {node.Id}", CancellationToken.None);

    /// <summary>True when <paramref name="id"/> is a voter in <paramref name="status"/>.</summary>
    public static bool IsVoter(RaftStatusBody status, string id) => status.Peers.Any(peer => peer.Id == id && !peer.Learner);

    /// <summary>True when <paramref name="id"/> is a learner that is at most <paramref name="lag"/> entries behind.</summary>
    public static bool IsCaughtUpLearner(RaftStatusBody status, string id, long lag) =>
        status.Peers.Any(peer => peer.Id == id && peer.Learner && peer.MatchLag is >= 0 && peer.MatchLag <= lag);

    public static bool IsMember(RaftStatusBody status, string id) => status.Peers.Any(peer => peer.Id == id);

    /// <summary>
    /// Waits until every member answers raftStatus with the configuration of <see cref="Members"/> as voters, no
    /// learner, the moved addresses included, and the name server's route of <paramref name="topic"/> lists exactly
    /// the members' client addresses with the leader as master (brokerId 0).
    /// </summary>
    public async Task WaitForMembershipAndRouteAsync(string topic)
    {
        var expected = _members.ToDictionary(member => member.Id, member => member.RaftAddress, StringComparer.Ordinal);
        string described = string.Join(", ", expected.Select(pair => $"{pair.Key}@{pair.Value}"));
        string last = "nothing yet";
        try
        {
            await Poll.UntilTrueAsync(async token =>
            {
                var answers = await Admin.GetRaftStatusAsync(GroupName, token);
                last = string.Join(" | ", answers.Select(answer => answer.Status is { } s
                    ? $"{s.SelfId} {s.Role} t{s.Term} index {s.MembershipIndex}: {string.Join(",", s.Peers.Select(p => $"{p.Id}{(p.Learner ? "(learner)" : "")}@{p.Address}"))}"
                    : $"{answer.Address}: {answer.Error}"));
                var statuses = answers.Select(answer => answer.Status).OfType<RaftStatusBody>().ToList();
                var leader = statuses.Where(s => s.Role == "LEADER").MaxBy(s => s.Term);
                if (answers.Count != expected.Count || statuses.Count != expected.Count || leader is null) return false;
                if (!statuses.All(status => HasConfiguration(status, expected))) return false;
                var route = await Admin.FindTopicRouteAsync(topic, token);
                last += $" | route of {topic}: " + string.Join(",", route?.BrokerDatas.SelectMany(b => b.BrokerAddrs.Select(a => $"{a.Key}={a.Value}")) ?? []);
                var group = route?.BrokerDatas.SingleOrDefault(data => data.BrokerName == GroupName);
                var leaderNode = _members.Single(member => member.Id == leader.SelfId);
                return group is not null && group.MasterAddress() == leaderNode.ClientAddress
                    && group.BrokerAddrs.Values.Order(StringComparer.Ordinal).SequenceEqual(_members.Select(m => m.ClientAddress).Order(StringComparer.Ordinal));
            }, Deadline, PollInterval, $"voters {described} on every member and in the route", CancellationToken.None);
        }
        catch (DeadlineExceededException e)
        {
            Assert.Fail($"{e.Message}; last seen: {last}");
        }
    }

    /// <summary>Voters exactly <paramref name="expected"/> (id and Raft address, "" for an address still taken from
    /// dLegerPeers), no learner.</summary>
    private static bool HasConfiguration(RaftStatusBody status, IReadOnlyDictionary<string, string> expected) =>
        status.MembershipIndex > 0 && status.Peers.Count == expected.Count
        && status.Peers.All(peer => !peer.Learner && expected.TryGetValue(peer.Id, out string? address) && (peer.Address == address || peer.Address.Length == 0));
}
