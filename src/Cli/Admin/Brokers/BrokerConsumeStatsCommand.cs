using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin brokerConsumeStats -b ADDR</c>: every consumer group's progress on one broker node (code 317), as
/// mqadmin prints it.</summary>
public sealed class BrokerConsumeStatsCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerAddr", "b", "ADDR", "broker node address (required)");
    private static readonly OptionSpec TimeoutOption = OptionSpec.Value("timeoutMillis", "t", "MS", "request timeout in ms (default 50000)");
    private static readonly OptionSpec LevelOption = OptionSpec.Value("level", null, "N", "print only queues whose diff is at least N (default 0; mqadmin spells it -l, which is --log-dir here)");
    private static readonly OptionSpec OrderOption = OptionSpec.Value("order", "o", "BOOL", "true: order topics only (default false)");

    public override string Name => "brokerConsumeStats";

    public override string Summary => "every consumer group's progress on one broker node";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, TimeoutOption, LevelOption, OrderOption, JsonOption];

    protected override string Notes => "as mqadmin, the table leaves out queues the group never consumed from (no last time); Diff Total counts them";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(BrokerOption.Name);
        args.GetLong(TimeoutOption.Name, 50_000);
        args.GetLong(LevelOption.Name, 0, long.MinValue);
        Groups.UpdateSubGroupCommand.Bool(args, OrderOption, false);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(args.GetLong(TimeoutOption.Name, 50_000)));
        var stats = await admin.GetBrokerConsumeStatsAsync(args.Require(BrokerOption.Name).Trim(), Groups.UpdateSubGroupCommand.Bool(args, OrderOption, false),
            timeout.Token).ConfigureAwait(false);
        if (args.Has(JsonOption.Name))
        {
            await context.Out.WriteAsync(ProtocolJson.EncodeToString(stats) + Environment.NewLine).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        long level = args.GetLong(LevelOption.Name, 0, long.MinValue);
        var table = new TextTable("Topic", "Group", "Broker Name", "QID", "Broker Offset", "Consumer Offset", "Diff", "LastTime")
            .AlignRight("QID", "Broker Offset", "Consumer Offset", "Diff");
        foreach (var byGroup in stats.Groups)
        {
            foreach (var (group, perTopic) in byGroup)
            {
                foreach (var queue in perTopic.SelectMany(topic => topic.OffsetTable))
                {
                    long diff = queue.BrokerOffset - queue.ConsumerOffset;
                    if (diff < level || queue.LastTimestamp <= 0) continue;
                    string lastTime = DateTimeOffset.FromUnixTimeMilliseconds(queue.LastTimestamp).ToLocalTime()
                        .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                    table.AddRow(queue.MessageQueue.Topic, group, queue.MessageQueue.BrokerName, queue.MessageQueue.QueueId, queue.BrokerOffset,
                        queue.ConsumerOffset, diff, lastTime);
                }
            }
        }
        await context.Out.WriteAsync(table.ToString()).ConfigureAwait(false);
        await context.Out.WriteLineAsync().ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Diff Total: {stats.TotalDiff}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
