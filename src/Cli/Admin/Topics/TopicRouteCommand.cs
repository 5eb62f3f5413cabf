using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Topics;

/// <summary><c>raftmq admin topicRoute -t TOPIC</c>: the topic's route as the name server answers it. mqadmin prints
/// the route JSON; so does <c>--json</c> here, while the default text lists queues and broker addresses.</summary>
public sealed class TopicRouteCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");

    public override string Name => "topicRoute";

    public override string Summary => "examine a topic's route: queues per broker group and their addresses";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, JsonOption];

    protected override void Validate(ParsedArgs args) => args.Require(TopicOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name);
        var route = await admin.FindTopicRouteAsync(topic, context.Stopping).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        if (args.Has(JsonOption.Name))
        {
            await context.Out.WriteAsync(JsonOutput.Indent(ProtocolJson.EncodeToString(route))).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        var queues = new TextTable("Broker Name", "Read Queue", "Write Queue", "Perm").AlignRight("Read Queue", "Write Queue", "Perm");
        foreach (var queue in route.QueueDatas.OrderBy(q => q.BrokerName, StringComparer.Ordinal))
            queues.AddRow(queue.BrokerName, queue.ReadQueueNums, queue.WriteQueueNums, queue.Perm);
        var brokers = new TextTable("Cluster Name", "Broker Name", "BID", "Addr").AlignRight("BID");
        foreach (var broker in route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal))
        {
            foreach (var (id, address) in broker.BrokerAddrs) brokers.AddRow(broker.Cluster, broker.BrokerName, id, address);
        }
        await context.Out.WriteAsync(queues.ToString()).ConfigureAwait(false);
        await context.Out.WriteLineAsync().ConfigureAwait(false);
        await context.Out.WriteAsync(brokers.ToString()).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(route.OrderTopicConf)) await context.Out.WriteLineAsync($"orderTopicConf: {route.OrderTopicConf}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
