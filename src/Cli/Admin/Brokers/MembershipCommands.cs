using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>
/// <c>raftmq admin addPeer|removePeer|promotePeer -b GROUP -i ID</c>: change a broker group's Raft membership on its
/// leader (codes 9003-9005). The change is replicated in the group's log; the command returns once it committed.
/// </summary>
public abstract class MembershipCommand : AdminCommand
{
    protected static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group (brokerName = dLegerGroup), required");
    protected static readonly OptionSpec PeerOption = OptionSpec.Value("peerId", "i", "ID", "the member's dLegerSelfId (e.g. n3), required");

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, PeerOption];

    protected override string Notes => "one change at a time; 'raftmq admin raftStatus -b GROUP' shows voters, learners and their lag";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(BrokerOption.Name);
        args.Require(PeerOption.Name);
    }

    protected abstract Task<string> ChangeAsync(MQAdminClient admin, string group, string peerId, ParsedArgs args, CancellationToken ct);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string group = args.Require(BrokerOption.Name).Trim();
        string answer = await ChangeAsync(admin, group, args.Require(PeerOption.Name).Trim(), args, context.Stopping).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"{group}: {answer}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

/// <summary><c>raftmq admin addPeer -b GROUP -i n3 -a host:port [--learner]</c>.</summary>
public sealed class AddPeerCommand : MembershipCommand
{
    private static readonly OptionSpec AddressOption = OptionSpec.Value("address", "a", "HOST:PORT", "the new member's peer address (its dLegerPeers entry), required");
    private static readonly OptionSpec LearnerOption = OptionSpec.Flag("learner", null, "keep it a learner (default: promoted to voter once caught up)");

    public override string Name => "addPeer";

    public override string Summary => "add a member to a group's Raft group (a learner, promoted once caught up unless --learner)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, PeerOption, AddressOption, LearnerOption];

    protected override void Validate(ParsedArgs args)
    {
        base.Validate(args);
        args.Require(AddressOption.Name);
    }

    protected override Task<string> ChangeAsync(MQAdminClient admin, string group, string peerId, ParsedArgs args, CancellationToken ct) =>
        admin.ChangeRaftMembershipAsync(group, AdminRequestCodes.AddPeer, peerId, args.Require(AddressOption.Name).Trim(), args.Has(LearnerOption.Name), ct);
}

/// <summary><c>raftmq admin removePeer -b GROUP -i n1</c>.</summary>
public sealed class RemovePeerCommand : MembershipCommand
{
    public override string Name => "removePeer";

    public override string Summary => "remove a member (voter, learner or the leader) from a group's Raft group";

    protected override Task<string> ChangeAsync(MQAdminClient admin, string group, string peerId, ParsedArgs args, CancellationToken ct) =>
        admin.ChangeRaftMembershipAsync(group, AdminRequestCodes.RemovePeer, peerId, cancellationToken: ct);
}

/// <summary><c>raftmq admin promotePeer -b GROUP -i n3</c>.</summary>
public sealed class PromotePeerCommand : MembershipCommand
{
    public override string Name => "promotePeer";

    public override string Summary => "turn a learner of a group's Raft group into a voter";

    protected override Task<string> ChangeAsync(MQAdminClient admin, string group, string peerId, ParsedArgs args, CancellationToken ct) =>
        admin.ChangeRaftMembershipAsync(group, AdminRequestCodes.PromotePeer, peerId, cancellationToken: ct);
}
