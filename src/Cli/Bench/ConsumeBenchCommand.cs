using System.Diagnostics;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Bench;

/// <summary>
/// <c>raftmq bench consume</c>: RocketMQ's consumer benchmark. A push consumer for the duration; TPS and the
/// born-to-consume latency (producer timestamp to handler) per second and as percentiles at the end.
/// </summary>
public sealed class ConsumeBenchCommand : ClientCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (default BenchmarkTest)");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("group", "g", "GROUP", "consumer group (default benchmark_consumer)");
    private static readonly OptionSpec ThreadsOption = OptionSpec.Value("threads", "w", "N", "handler concurrency (default 20)");
    private static readonly OptionSpec DurationOption = OptionSpec.Value("duration", "d", "DURATION", "how long to consume, e.g. 30s (default 30s)");
    private static readonly OptionSpec FromFirstOption = OptionSpec.Flag("from-first", null, "a new group starts at the first message (default: the latest)");
    private static readonly OptionSpec TagsOption = OptionSpec.Value("tags", null, "EXPR", "tag expression (default *)");
    private static readonly OptionSpec SqlOption = OptionSpec.Value("sql", null, "EXPR", "SQL92 selector, e.g. \"bench_match = 1\" (broker: enablePropertyFilter=true)");
    private static readonly OptionSpec BrokerPidOption = OptionSpec.Value("broker-pid", null, "PID",
        "also report the CPU time this (local, Linux) broker process spent during the run");
    private static readonly OptionSpec BacklogOption = OptionSpec.Value("backlog", null, "N",
        "messages the run scans (the backlog size); with --broker-pid, report broker CPU per scanned message");
    private static readonly OptionSpec MessagesOption = OptionSpec.Value("messages", "m", "N", "stop once N messages were consumed (default: run for the duration)");

    public override string Name => "consume";

    public override string Summary => "consumer load: push consumer TPS and born-to-consume latency percentiles";

    protected override string LogFileName => "bench-consume";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [TopicOption, GroupOption, ThreadsOption, DurationOption, FromFirstOption, MessagesOption, TagsOption, SqlOption,
        BrokerPidOption, BacklogOption, .. ConnectionOptions];

    protected override string Notes =>
        "run it next to 'raftmq bench produce' on the same topic, or drain a backlog: --from-first -g <new group> -m N; " +
        "TPS counts from the first to the last message consumed; filters: produce with 'bench produce --match-percent 10', " +
        "then --tags TagMatch or --sql \"bench_match = 1\" with -m <matching count> --backlog <produced count> --broker-pid <leader pid>";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var nameServers = NameServers(args);
        string topic = args.Get(TopicOption.Name, "BenchmarkTest");
        var duration = args.GetDuration(DurationOption.Name, TimeSpan.FromSeconds(30));
        using var loggers = CreateLoggerFactory(args, context);
        var options = new PushConsumerOptions
        {
            NameServerAddresses = nameServers,
            ConsumerGroup = args.Get(GroupOption.Name, "benchmark_consumer"),
            Credentials = Credentials(args), Tls = Tls(args), InstanceName = InstanceName("bench"),
            ConsumeConcurrency = args.GetInt(ThreadsOption.Name, 20, 1, 1000),
            ConsumeFromWhere = args.Has(FromFirstOption.Name) ? ConsumeFromWhere.ConsumeFromFirstOffset : ConsumeFromWhere.ConsumeFromLastOffset,
        };

        long target = args.Has(MessagesOption.Name) ? args.GetInt(MessagesOption.Name, 0, 1, int.MaxValue) : long.MaxValue;
        var stats = new BenchCounters();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        long first = 0;
        long last = 0;
        await using var consumer = new PushConsumer(options, loggers);
        consumer.Subscribe(topic, ConsumeCommand.Selector(args, TagsOption, SqlOption));
        var brokerCpu = args.Has(BrokerPidOption.Name) ? ProcessCpu.Open(args.GetInt(BrokerPidOption.Name, 0, 1, int.MaxValue)) : null;
        await consumer.StartAsync((messages, _, _) =>
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Interlocked.CompareExchange(ref first, Stopwatch.GetTimestamp(), 0);
            foreach (var message in messages) stats.RecordSuccess(TimeSpan.FromMilliseconds(Math.Max(0, now - message.BornTimestamp)));
            Volatile.Write(ref last, Stopwatch.GetTimestamp());
            if (stats.Succeeded >= target) stop.Cancel();
            return ValueTask.FromResult(ConsumeResult.Success);
        }, context.Stopping).ConfigureAwait(false);

        stop.CancelAfter(duration);
        await BenchReporter.RunAsync(stats, "Consume", context.Out, stop.Token).ConfigureAwait(false);
        // From the first to the last message handled: the time spent finding the route and waiting for traffic is not pulling.
        var active = first == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, Volatile.Read(ref last));
        await context.Out.WriteLineAsync(BenchReporter.Summary("consumed", stats, active, options.ConsumeConcurrency, null))
            .ConfigureAwait(false);
        if (brokerCpu is not null)
        {
            await context.Out.WriteLineAsync(brokerCpu.Report(args.Has(BacklogOption.Name) ? args.GetLong(BacklogOption.Name, 0, 1) : 0)).ConfigureAwait(false);
        }
        return stats.Succeeded >= target || target == long.MaxValue ? ExitCodes.Success : ExitCodes.Failure;
    }
}
