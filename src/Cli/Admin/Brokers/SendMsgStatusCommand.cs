using System.Diagnostics;
using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin sendMsgStatus -b BROKERNAME [-s SIZE] [-c COUNT]</c>: mqadmin's sendMsgStatus. Sends COUNT messages of
/// SIZE bytes to the topic named after the broker group (which every group creates, brokerTopicEnable) and prints each send's
/// round trip and result.</summary>
public sealed class SendMsgStatusCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group name: its own topic is sent to (required)");
    private static readonly OptionSpec SizeOption = OptionSpec.Value("messageSize", "s", "BYTES", "message size (default 128)");
    private static readonly OptionSpec CountOption = OptionSpec.Value("count", "c", "N", "messages to send (default 50)");

    public override string Name => "sendMsgStatus";

    public override string Summary => "send messages to a broker group's own topic and print each round trip";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, SizeOption, CountOption, JsonOption];

    protected override string Notes => "prints 'rt:Nms, SendResult=SendResult [...]' per message after one unprinted 16-byte warm-up send (producer group PID_SMSC), " +
        "one line each (mqadmin runs them together); exit 1 when a send fails (e.g. brokerTopicEnable=false: the topic takes no messages)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(BrokerOption.Name);
        args.GetInt(SizeOption.Name, 128, min: 1, max: 4 * 1024 * 1024);
        args.GetInt(CountOption.Name, 50, min: 1);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string brokerName = args.Require(BrokerOption.Name).Trim();
        int size = args.GetInt(SizeOption.Name, 128, min: 1, max: 4 * 1024 * 1024);
        int count = args.GetInt(CountOption.Name, 50, min: 1);
        bool json = args.Has(JsonOption.Name);
        using var loggers = CreateLoggerFactory(args, context);
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = NameServers(args), Credentials = Credentials(args), Tls = Tls(args), ProducerGroup = "PID_SMSC",
            InstanceName = "PID_SMSC_" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        await producer.SendAsync(Build(brokerName, 16), context.Stopping).ConfigureAwait(false);
        var sends = new List<(long RtMs, SendResult Result)>(count);
        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            var result = await producer.SendAsync(Build(brokerName, size), context.Stopping).ConfigureAwait(false);
            long rt = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            sends.Add((rt, result));
            if (!json) await context.Out.WriteLineAsync($"rt:{rt}ms, SendResult={ProduceCommand.Describe(result)}").ConfigureAwait(false);
        }
        if (json)
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var (rt, result) in sends)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("rtMs", rt);
                    writer.WriteString("sendStatus", ProduceCommand.StatusName(result.Status));
                    writer.WriteString("msgId", result.MsgId);
                    writer.WriteString("brokerName", result.Queue.BrokerName);
                    writer.WriteNumber("queueId", result.Queue.QueueId);
                    writer.WriteNumber("queueOffset", result.QueueOffset);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            })).ConfigureAwait(false);
        }
        return sends.All(s => s.Result.Status == SendStatus.SendOk) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>mqadmin's body: "hello jodie" repeated until the size is reached.</summary>
    private static Message Build(string topic, int size)
    {
        var body = new StringBuilder(size + 11);
        for (int i = 0; i < size; i += 11) body.Append("hello jodie");
        return new Message(topic, Encoding.UTF8.GetBytes(body.ToString()));
    }
}
