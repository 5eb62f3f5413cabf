using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin transferLeader -b GROUP -i NODE</c>: hand a group's Raft leadership to another member.</summary>
public sealed class TransferLeaderCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group (brokerName = dLegerGroup), required");
    private static readonly OptionSpec TargetOption = OptionSpec.Value("targetId", "i", "ID", "dLegerSelfId of the new leader (e.g. n1), required");

    public override string Name => "transferLeader";

    public override string Summary => "hand a group's leadership (master role) to another node";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, TargetOption];

    protected override string Notes => "the hand-over is asynchronous: check with 'raftmq admin clusterList' (BID 0)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(BrokerOption.Name);
        args.Require(TargetOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string group = args.Require(BrokerOption.Name);
        string target = args.Require(TargetOption.Name);
        string answer = await admin.TransferLeadershipAsync(group, target, context.Stopping).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"{group}: {answer}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
