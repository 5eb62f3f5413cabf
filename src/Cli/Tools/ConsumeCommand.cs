using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Tools;

/// <summary><c>raftmq consume</c>: RocketMQ's quickstart Consumer as a verb: a push consumer printing every message.</summary>
public sealed class ConsumeCommand : ClientCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (default TopicTest)");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("group", "g", "GROUP", "consumer group (default please_rename_unique_group_name_4)");
    private static readonly OptionSpec TagsOption = OptionSpec.Value("tags", null, "EXPR", "tag expression, e.g. 'TagA || TagB' (default *)");
    private static readonly OptionSpec SqlOption = OptionSpec.Value("sql", null, "EXPR",
        "SQL92 selector over message properties, e.g. \"a > 5 AND region = 'eu'\" (the broker needs enablePropertyFilter=true)");
    private static readonly OptionSpec CountOption = OptionSpec.Value("count", "c", "N", "stop after N messages (default: run until Ctrl-C)");
    private static readonly OptionSpec TimeoutOption = OptionSpec.Value("timeout", null, "DURATION", "stop after this long, e.g. 30s (default: no limit)");
    private static readonly OptionSpec BroadcastOption = OptionSpec.Flag("broadcast", null, "broadcasting: every consumer gets every message");
    private static readonly OptionSpec FromLastOption = OptionSpec.Flag("from-last", null, "a new group starts at the end of the queues (default: from the first message)");

    public override string Name => "consume";

    public override string Summary => "subscribe to a topic and print every message (like RocketMQ's quickstart Consumer)";

    protected override string LogFileName => "consume";

    protected override IReadOnlyList<OptionSpec> VerbOptions =>
        [TopicOption, GroupOption, TagsOption, SqlOption, CountOption, TimeoutOption, BroadcastOption, FromLastOption, .. TraceOptions, .. ConnectionOptions];

    protected override string Notes => "example: raftmq consume -n 127.0.0.1:9876 -t TopicTest -c 100 --timeout 30s";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var nameServers = NameServers(args);
        string topic = args.Get(TopicOption.Name, "TopicTest");
        long limit = args.GetLong(CountOption.Name, long.MaxValue, 1);
        var timeout = args.GetDuration(TimeoutOption.Name, Timeout.InfiniteTimeSpan);
        var trace = Trace(args);
        using var loggers = CreateLoggerFactory(args, context);
        var options = new PushConsumerOptions
        {
            NameServerAddresses = nameServers,
            ConsumerGroup = args.Get(GroupOption.Name, "please_rename_unique_group_name_4"),
            Credentials = Credentials(args), Tls = Tls(args), InstanceName = InstanceName("consume"),
            MessageModel = args.Has(BroadcastOption.Name) ? MessageModel.Broadcasting : MessageModel.Clustering,
            ConsumeFromWhere = args.Has(FromLastOption.Name) ? ConsumeFromWhere.ConsumeFromLastOffset : ConsumeFromWhere.ConsumeFromFirstOffset,
            EnableMsgTrace = trace.Enabled, CustomizedTraceTopic = trace.Topic,
        };
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        if (timeout != Timeout.InfiniteTimeSpan) done.CancelAfter(timeout);
        long received = 0;
        var output = TextWriter.Synchronized(context.Out);

        await using var consumer = new PushConsumer(options, loggers);
        consumer.Subscribe(topic, Selector(args, TagsOption, SqlOption));
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages)
            {
                if (Interlocked.Increment(ref received) > limit) return ValueTask.FromResult(ConsumeResult.ReconsumeLater);
                output.WriteLine(Describe(message));
                if (Interlocked.Read(ref received) >= limit) done.Cancel();
            }
            return ValueTask.FromResult(ConsumeResult.Success);
        }, context.Stopping).ConfigureAwait(false);
        await context.Error.WriteLineAsync($"Consumer Started: group {options.ConsumerGroup}, topic {topic}").ConfigureAwait(false);

        try
        {
            await Task.Delay(Timeout.Infinite, done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.Stopping.IsCancellationRequested)
        {
            // Count reached or timeout: a normal end.
        }
        long total = Math.Min(Interlocked.Read(ref received), limit);
        await context.Error.WriteLineAsync($"received {total} messages").ConfigureAwait(false);
        await consumer.DisposeAsync().ConfigureAwait(false); // commits offsets and flushes the trace records
        if (consumer.TraceStatistics is { } traced) await context.Error.WriteLineAsync(DescribeTrace(traced, trace.Topic)).ConfigureAwait(false);
        return limit == long.MaxValue || total >= limit ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>--sql or --tags (not both); the tag expression "*" when neither is given.</summary>
    internal static MessageSelector Selector(ParsedArgs args, OptionSpec tags, OptionSpec sql)
    {
        if (!args.Has(sql.Name)) return MessageSelector.ByTag(args.Get(tags.Name, "*"));
        if (args.Has(tags.Name)) throw new UsageException($"--{tags.Name} and --{sql.Name} cannot be combined: filter on TAGS in the SQL92 expression");
        string expression = args.Get(sql.Name, "");
        if (string.IsNullOrWhiteSpace(expression)) throw new UsageException($"--{sql.Name} needs an expression");
        return MessageSelector.BySql(expression);
    }

    private static string Describe(MessageExt message)
    {
        string body = Encoding.UTF8.GetString(message.Body.AsSpan(0, Math.Min(message.Body.Length, 80)));
        return $"Receive New Message: queue={message.BrokerName}:{message.QueueId} offset={message.QueueOffset} msgId={message.MsgId} " +
               $"tags={message.Tags}{(message.Keys is null ? "" : " keys=" + message.Keys)} body={body}";
    }
}
