using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using Xunit.Abstractions;
using static RaftMq.Integration.Tests.EndToEnd.Membership.MembershipCluster;

namespace RaftMq.Integration.Tests.EndToEnd.Membership;

/// <summary>
/// A member that was down while its group changed and comes back with its old conf (docs/operations/membership.md,
/// "A member that missed a change"). Its own cluster: the returning node's log must hold no configuration entry, which
/// a group shared with the other membership tests cannot promise.
/// </summary>
[Collection(MembershipCollection.Name)]
public sealed class LateMemberTests(LateMemberTests.Cluster cluster, ITestOutputHelper output) : IClassFixture<LateMemberTests.Cluster>
{
    /// <summary>A fresh group for this class alone.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public MembershipCluster Group { get; } = new();

        public Task InitializeAsync() => Group.InitializeAsync();

        public Task DisposeAsync() => Group.DisposeAsync();
    }

    [Fact]
    public async Task A_member_without_a_configuration_entry_that_missed_an_addPeer_learns_it_with_its_old_conf_and_loses_nothing()
    {
        var group = cluster.Group;
        await using var workload = await MembershipWorkload.StartAsync(group, "MemberLate");
        await workload.WaitForAcknowledgedAsync(100);

        // A follower goes down before the group's first configuration change.
        var leader = await group.LeaderAsync();
        var late = group.Members.First(member => member != leader);
        var original = group.Members.ToList();
        await group.StopAsync(late);

        // The operator adds a node and lists it in the confs of the running members, restarting them one at a time.
        var added = group.NewNode();
        await group.ChangeAsync(AdminRequestCodes.AddPeer, added, status => IsMember(status, added.Id));
        List<MemberNode> grown = [.. original, added];
        await group.StartAsync(added, grown);
        await Poll.UntilTrueAsync(async token => await group.LeaderStatusAsync(token) is { } status && IsVoter(status, added.Id),
            Deadline, TimeSpan.FromMilliseconds(200), $"{added.Id} to be promoted", CancellationToken.None);
        foreach (var member in original.Where(member => member != late))
        {
            await group.StopAsync(member);
            await group.StartAsync(member, grown);
            await group.WaitForLeaderAsync();
        }
        await workload.WaitForMoreAcknowledgedAsync(100);

        // It comes back with its conf unchanged (n0..n2 only): the members following the configuration reach it.
        await group.StartAsync(late, original);
        group.SetMembers(grown);
        await workload.WaitForMoreAcknowledgedAsync(100);
        await group.WaitForMembershipAndRouteAsync(workload.Topic);
        await workload.StopAndAssertNothingLostAsync(output);

        // Its committed log ends where the leader's does.
        await Poll.UntilTrueAsync(async token =>
        {
            var statuses = (await group.Admin.GetRaftStatusAsync(GroupName, token)).Select(answer => answer.Status).OfType<RaftStatusBody>().ToList();
            var leading = statuses.Where(status => status.Role == "LEADER").MaxBy(status => status.Term);
            var returned = statuses.FirstOrDefault(status => status.SelfId == late.Id);
            return leading is not null && returned is not null && returned.CommitIndex == leading.CommitIndex && returned.LastIndex == leading.LastIndex
                && returned.MembershipIndex == leading.MembershipIndex;
        }, Deadline, TimeSpan.FromMilliseconds(200), $"{late.Id} to hold the leader's committed log", CancellationToken.None);
    }
}
