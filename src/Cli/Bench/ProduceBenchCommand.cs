using System.Diagnostics;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Bench;

/// <summary>
/// <c>raftmq bench produce</c>: RocketMQ's producer benchmark. W workers each keep one synchronous send in flight
/// for the duration; every second a line with TPS and latency, at the end TPS and latency percentiles.
/// </summary>
public sealed class ProduceBenchCommand : ClientCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (default BenchmarkTest; created when missing)");
    private static readonly OptionSpec ThreadsOption = OptionSpec.Value("threads", "w", "N", "concurrent senders, each with one send in flight (default 16)");
    private static readonly OptionSpec SizeOption = OptionSpec.Value("size", "s", "BYTES", "message body size (default 128)");
    private static readonly OptionSpec DurationOption = OptionSpec.Value("duration", "d", "DURATION", "how long to send, e.g. 30s (default 30s)");
    private static readonly OptionSpec TagsOption = OptionSpec.Value("tags", null, "TAG", "tag of every message (default none)");
    private static readonly OptionSpec QueuesOption = OptionSpec.Value("queues", null, "N", "queues of the topic if it has to be created (default 8)");
    private static readonly OptionSpec MatchOption = OptionSpec.Value("match-percent", null, "P",
        "filter benchmarks: P% of the messages carry property bench_match=1 and tag TagMatch, the rest bench_match=0 and TagOther (default: no such marks)");
    private static readonly OptionSpec DelayOption = OptionSpec.Value("delay-level", null, "LEVEL", "send delayed messages of this delay level, 1-18 (default 0: not delayed)");
    private static readonly OptionSpec ViaOption = OptionSpec.Value("via", null, "HOST:PORT",
        "send every message straight to this broker (e.g. a follower, which forwards to the leader), without the producer's routing and retries");
    private static readonly OptionSpec TransactionOption = OptionSpec.Value("transaction", null, Tools.TransactionShapes.Choices,
        "transactional sends: half message + local decision + END; check-commit counts each transaction when the broker's check commits it");

    public override string Name => "produce";

    public override string Summary => "producer load: concurrent synchronous sends, TPS and latency percentiles";

    protected override string LogFileName => "bench-produce";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [TopicOption, ThreadsOption, SizeOption, DurationOption, TagsOption, QueuesOption, MatchOption, DelayOption, TransactionOption, ViaOption, .. TraceOptions, .. ConnectionOptions];

    protected override string Notes => "example: raftmq bench produce -n 127.0.0.1:9876 -w 32 -s 1024 -d 60s\n" +
        "forwarding cost: the same with --via FOLLOWER_ADDRESS, then with --via LEADER_ADDRESS\n" +
        "         raftmq bench produce -n 127.0.0.1:9876 -w 32 --transaction commit   (transactions/s, latency of prepare + END)\n" +
        "trace overhead: the same with and without --trace";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var nameServers = NameServers(args);
        string topic = args.Get(TopicOption.Name, "BenchmarkTest");
        int threads = args.GetInt(ThreadsOption.Name, 16, 1, 1024);
        var body = new byte[args.GetInt(SizeOption.Name, 128, 1, 4 * 1024 * 1024)];
        Array.Fill(body, (byte)'x');
        var duration = args.GetDuration(DurationOption.Name, TimeSpan.FromSeconds(30));
        string? tags = args.Get(TagsOption.Name);
        int queues = args.GetInt(QueuesOption.Name, 8, 1, 1024);
        int delayLevel = args.GetInt(DelayOption.Name, 0, 0, 1000);
        var marks = args.Has(MatchOption.Name) ? new FilterMarks(args.GetInt(MatchOption.Name, 10, 0, 100)) : null;
        if (marks is not null && tags is not null) throw new UsageException("--match-percent sets the tags itself; drop --tags");

        var shape = Tools.TransactionShapes.Parse(args.Get(TransactionOption.Name));
        var trace = Trace(args);
        if (trace.Enabled && args.Has(ViaOption.Name)) throw new UsageException("--trace traces the RaftMq producer; --via sends without it");

        using var loggers = CreateLoggerFactory(args, context);
        await TopicBootstrap.EnsureExistsAsync(nameServers, Credentials(args), Tls(args), topic, queues, loggers, context.Error, context.Stopping).ConfigureAwait(false);
        var options = new ProducerOptions
        {
            NameServerAddresses = nameServers, ProducerGroup = "benchmark_producer", Credentials = Credentials(args), Tls = Tls(args), InstanceName = InstanceName("bench"),
            EnableMsgTrace = trace.Enabled, CustomizedTraceTopic = trace.Topic,
        };
        if (shape is { } transactional)
        {
            return await TransactionBench.RunAsync(options with { ProducerGroup = "benchmark_transaction_producer" }, loggers, transactional,
                new TransactionBench.Load(topic, body, tags, threads, duration), context).ConfigureAwait(false);
        }
        await using var producer = new MQProducer(options, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        // An existing topic keeps its own queue count (-q only sizes a topic the bench creates): --via must address queues that exist.
        await using var addressed = args.Get(ViaOption.Name) is { } via
            ? new AddressedSender(via, topic, await WriteQueueCountAsync(producer, topic, queues, context.Stopping).ConfigureAwait(false), tags, Credentials(args), Tls(args))
            : null;

        var stats = new BenchCounters();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        stop.CancelAfter(duration);
        long started = Stopwatch.GetTimestamp();
        var reporter = BenchReporter.RunAsync(stats, "Send", context.Out, stop.Token);
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(() => addressed is null
            ? SendLoopAsync(producer, topic, body, tags, marks, delayLevel, stats, stop.Token)
            : SendLoopAsync(addressed, body, stats, stop.Token)))).ConfigureAwait(false);
        await reporter.ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        await context.Out.WriteLineAsync(BenchReporter.Summary("sent", stats, elapsed, threads, body.Length)).ConfigureAwait(false);
        await producer.DisposeAsync().ConfigureAwait(false); // flushes the trace records before they are counted
        if (producer.TraceStatistics is { } traced) await context.Out.WriteLineAsync(DescribeTrace(traced, trace.Topic)).ConfigureAwait(false);
        return stats.Succeeded > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task SendLoopAsync(AddressedSender sender, byte[] body, BenchCounters stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long begin = Stopwatch.GetTimestamp();
            string? refusal;
            try
            {
                refusal = await sender.SendAsync(body).ConfigureAwait(false);
            }
            catch (RaftMq.Protocol.Remoting.RemotingException e)
            {
                refusal = e.Message;
            }
            if (refusal is null)
            {
                stats.RecordSuccess(Stopwatch.GetElapsedTime(begin));
                continue;
            }
            stats.RecordFailure(refusal);
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task SendLoopAsync(MQProducer producer, string topic, byte[] body, string? tags, FilterMarks? marks, int delayLevel,
        BenchCounters stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long begin = Stopwatch.GetTimestamp();
            try
            {
                // The send itself is not cancelled at the deadline: its latency and outcome still count.
                var message = new Message(topic, body, tags) { DelayTimeLevel = delayLevel };
                marks?.Mark(message);
                await producer.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
                stats.RecordSuccess(Stopwatch.GetElapsedTime(begin));
            }
            catch (MQException e)
            {
                stats.RecordFailure(e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Marks an exact share of the messages as matching, for tag and SQL92 filter benchmarks over one backlog.</summary>
    private sealed class FilterMarks(int percent)
    {
        private long _sent;

        public void Mark(Message message)
        {
            bool match = Interlocked.Increment(ref _sent) % 100 < percent;
            message.Tags = match ? "TagMatch" : "TagOther";
            message.SetProperty("bench_match", match ? "1" : "0");
        }
    }

    /// <summary>Write queues of the topic on one broker group, as the name server routes them; <paramref name="fallback"/> when unknown.</summary>
    private static async Task<int> WriteQueueCountAsync(MQProducer producer, string topic, int fallback, CancellationToken cancellationToken)
    {
        var queues = await producer.FetchPublishQueuesAsync(topic, cancellationToken).ConfigureAwait(false);
        int perBroker = queues.GroupBy(q => q.BrokerName).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        return perBroker > 0 ? perBroker : fallback;
    }
}
