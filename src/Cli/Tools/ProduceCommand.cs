using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Tools;

/// <summary><c>raftmq produce</c>: RocketMQ's quickstart Producer as a verb: send N messages, print each result.</summary>
public sealed class ProduceCommand : ClientCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (default TopicTest)");
    private static readonly OptionSpec CountOption = OptionSpec.Value("count", "c", "N", "messages to send (default 10)");
    private static readonly OptionSpec SizeOption = OptionSpec.Value("size", "s", "BYTES", "body size; the text 'Hello RaftMq i' padded (default: unpadded)");
    private static readonly OptionSpec TagsOption = OptionSpec.Value("tags", null, "TAG", "tag of every message (default TagA)");
    private static readonly OptionSpec KeysOption = OptionSpec.Value("keys", "k", "PREFIX", "set KEYS to PREFIX-i (default: no keys)");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("group", "g", "GROUP", "producer group (default please_rename_unique_group_name)");
    private static readonly OptionSpec QueuesOption = OptionSpec.Value("queues", null, "N", "queues of the topic if it has to be created (default 4)");
    private static readonly OptionSpec TransactionOption = OptionSpec.Value("transaction", null, TransactionShapes.Choices,
        "send transactional messages whose local transaction commits, rolls back, stays unknown, or is committed when the broker checks");
    private static readonly OptionSpec CheckWaitOption = OptionSpec.Value("check-wait", null, "DURATION",
        "with --transaction check-commit: how long to wait for the broker's checks (default 120s)");

    public override string Name => "produce";

    public override string Summary => "send messages to a topic and print each SendResult (like RocketMQ's quickstart Producer)";

    protected override string LogFileName => "produce";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [TopicOption, CountOption, SizeOption, TagsOption, KeysOption, GroupOption, QueuesOption, TransactionOption, CheckWaitOption, .. TraceOptions, .. ConnectionOptions];

    protected override string Notes => "example: raftmq produce -n 127.0.0.1:9876 -t TopicTest -c 100 --tags TagA\n" +
        "         raftmq produce -n 127.0.0.1:9876 -t TopicTest -c 5 --transaction check-commit\n" +
        "         raftmq produce -n 127.0.0.1:9876 -t TopicTest -c 1 --trace   (then: raftmq admin queryMsgTraceById -i MSGID)";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var nameServers = NameServers(args);
        string topic = args.Get(TopicOption.Name, "TopicTest");
        int count = args.GetInt(CountOption.Name, 10, 1);
        int size = args.GetInt(SizeOption.Name, 0, 0, 4 * 1024 * 1024);
        string tags = args.Get(TagsOption.Name, "TagA");
        string? keyPrefix = args.Get(KeysOption.Name);
        int queues = args.GetInt(QueuesOption.Name, 4, 1, 1024);
        var trace = Trace(args);
        using var loggers = CreateLoggerFactory(args, context);
        await TopicBootstrap.EnsureExistsAsync(nameServers, Credentials(args), Tls(args), topic, queues, loggers, context.Error, context.Stopping).ConfigureAwait(false);
        var options = new ProducerOptions
        {
            NameServerAddresses = nameServers,
            ProducerGroup = args.Get(GroupOption.Name, "please_rename_unique_group_name"),
            Credentials = Credentials(args), Tls = Tls(args), InstanceName = InstanceName("produce"),
            EnableMsgTrace = trace.Enabled, CustomizedTraceTopic = trace.Topic,
        };
        if (TransactionShapes.Parse(args.Get(TransactionOption.Name)) is { } shape)
        {
            var checkWait = args.GetDuration(CheckWaitOption.Name, TimeSpan.FromSeconds(120));
            return await TransactionalProduce.RunAsync(options, loggers, shape, checkWait, count, i => Message(topic, i, size, tags, keyPrefix), context)
                .ConfigureAwait(false);
        }
        await using var producer = new MQProducer(options, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);

        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            var message = Message(topic, i, size, tags, keyPrefix);
            try
            {
                var result = await producer.SendAsync(message, context.Stopping).ConfigureAwait(false);
                await context.Out.WriteLineAsync(Describe(result)).ConfigureAwait(false);
            }
            catch (MQException e)
            {
                failures++;
                await context.Error.WriteLineAsync($"send {i} failed: {e.Message}").ConfigureAwait(false);
            }
        }
        await context.Out.WriteLineAsync($"sent {count - failures} of {count} messages to {topic}").ConfigureAwait(false);
        await producer.DisposeAsync().ConfigureAwait(false); // flushes the trace records
        if (producer.TraceStatistics is { } traced) await context.Error.WriteLineAsync(DescribeTrace(traced, trace.Topic)).ConfigureAwait(false);
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Message Message(string topic, int index, int size, string tags, string? keyPrefix) =>
        new(topic, Body(index, size), tags, keyPrefix is null ? null : $"{keyPrefix}-{index}");

    private static byte[] Body(int index, int size)
    {
        string text = "Hello RaftMq " + index.ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(size > text.Length ? text.PadRight(size, '.') : text);
    }

    internal static string Describe(SendResult result) =>
        $"SendResult [sendStatus={StatusName(result.Status)}, msgId={result.MsgId}, offsetMsgId={result.OffsetMsgId}, " +
        $"messageQueue=MessageQueue [topic={result.Queue.Topic}, brokerName={result.Queue.BrokerName}, queueId={result.Queue.QueueId}], " +
        $"queueOffset={result.QueueOffset}]";

    internal static string StatusName(SendStatus status) => status switch
    {
        SendStatus.SendOk => "SEND_OK",
        SendStatus.FlushDiskTimeout => "FLUSH_DISK_TIMEOUT",
        SendStatus.FlushSlaveTimeout => "FLUSH_SLAVE_TIMEOUT",
        _ => "SLAVE_NOT_AVAILABLE",
    };
}
