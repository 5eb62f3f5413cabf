using RaftMq.Broker.Processors.Admin;
using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin transferLeader -b GROUP -i NODE</c>: hand a group's Raft leadership to another member.</summary>
public sealed class TransferLeaderCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group (brokerName = dLegerGroup), required");
    private static readonly OptionSpec TargetOption = OptionSpec.Value("targetId", "i", "ID", "dLegerSelfId of the new leader (e.g. n1), required");
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

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
        var nodes = await admin.GetClusterInfoAsync(context.Stopping).ConfigureAwait(false);
        string master = nodes.FirstOrDefault(node => node.BrokerName == group && node.BrokerId == 0)?.Address
            ?? throw new UsageException($"the name servers list no master for broker group '{group}'");

        // Sent here rather than with MQAdminClient.TransferLeadershipAsync: that method uses request code 10001 and the
        // field 'transfereeId', while the broker's AdminProcessor serves RaftMqRequestCode.TransferLeadership with
        // 'targetId'. The broker's form is the one that works.
        var request = RemotingCommand.CreateRequest(RaftMqRequestCode.TransferLeadership);
        request.ExtFields["targetId"] = target;
        await using var client = new RemotingClient();
        var response = await client.InvokeAsync(master, request, RequestTimeout, context.Stopping).ConfigureAwait(false);
        if (response.Code != ResponseCode.Success)
        {
            await context.Error.WriteLineAsync($"raftmq admin transferLeader: {master} refused (code {response.Code}): {response.Remark}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        await context.Out.WriteLineAsync($"{group}: {response.Remark ?? "leadership transfer started"} (asked {master})").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
