using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Codes;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin updateTopic -t TOPIC -c CLUSTER</c>: create or update a topic on every group's master.</summary>
public sealed class UpdateTopicCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");
    private static readonly OptionSpec ClusterOption = OptionSpec.Value("cluster", "c", "CLUSTER", "cluster whose groups get the topic (default: the only cluster)");
    private static readonly OptionSpec ReadQueuesOption = OptionSpec.Value("readQueueNums", "r", "N", "read queues per group (default 8)");
    private static readonly OptionSpec WriteQueuesOption = OptionSpec.Value("writeQueueNums", "w", "N", "write queues per group (default 8)");
    private static readonly OptionSpec PermOption = OptionSpec.Value("perm", "p", "PERM", "2 = write only, 4 = read only, 6 = read + write (default 6)");
    private static readonly OptionSpec OrderOption = OptionSpec.Value("order", "o", "true|false", "mark the topic as ordered (default false)");

    public override string Name => "updateTopic";

    public override string Summary => "create or update a topic on the master of every group of a cluster";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [TopicOption, ClusterOption, ReadQueuesOption, WriteQueuesOption, PermOption, OrderOption];

    protected override string Notes => "example: raftmq admin updateTopic -n 127.0.0.1:9876 -c RaftCluster -t TopicTest -r 4 -w 4";

    protected override void Validate(ParsedArgs args) => Settings(args);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var settings = Settings(args);
        string cluster = args.Get(ClusterOption.Name) ?? await TopicBootstrap.SingleClusterAsync(admin, context.Stopping).ConfigureAwait(false);
        var groups = await admin.CreateOrUpdateTopicAsync(cluster, settings, context.Stopping).ConfigureAwait(false);
        foreach (string group in groups)
        {
            await context.Out.WriteLineAsync(
                $"create topic to {group} success: topic={settings.Topic} readQueueNums={settings.ReadQueueNums} writeQueueNums={settings.WriteQueueNums} perm={settings.Perm} order={settings.Order.ToString().ToLowerInvariant()}")
                .ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private static TopicSettings Settings(ParsedArgs args)
    {
        int perm = args.GetInt(PermOption.Name, PermName.ReadWrite, 2, 6);
        if (perm is not (2 or 4 or 6)) throw new UsageException($"option --perm = {perm}: expected 2, 4 or 6");
        string order = args.Get(OrderOption.Name, "false");
        if (order is not ("true" or "false")) throw new UsageException($"option --order = '{order}': expected true or false");
        return new TopicSettings
        {
            Topic = args.Require(TopicOption.Name),
            ReadQueueNums = args.GetInt(ReadQueuesOption.Name, 8, 1, 1024),
            WriteQueueNums = args.GetInt(WriteQueuesOption.Name, 8, 1, 1024),
            Perm = perm,
            Order = order == "true",
        };
    }
}
