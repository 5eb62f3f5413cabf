using System.Globalization;
using System.Text;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin sendMessage -t TOPIC -p BODY [-k KEYS] [-c TAGS] [-b BROKER [-i QUEUE]]</c>: mqadmin's
/// sendMessage, one message with a UTF-8 body, sent by a producer of its own; prints
/// <c>#Broker Name #QID #Send Result #MsgId</c>.</summary>
public sealed class SendMessageCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec BodyOption = OptionSpec.Value("body", "p", "TEXT", "the body, sent as UTF-8 (required)");
    private static readonly OptionSpec KeysOption = OptionSpec.Value("key", "k", "KEYS", "message keys, ' ' between several");
    private static readonly OptionSpec TagsOption = OptionSpec.Value("tags", "c", "TAG", "message tag");
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("broker", "b", "GROUP", "send to a queue of this broker group (brokerName)");
    private static readonly OptionSpec QueueOption = OptionSpec.Value("qid", "i", "ID", "send to this queue id of --broker");

    public override string Name => "sendMessage";

    public override string Summary => "send one message and print where it went: #Broker Name #QID #Send Result #MsgId";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, BodyOption, KeysOption, TagsOption, BrokerOption, QueueOption, JsonOption];

    protected override string Notes => "without -b the producer picks a queue as any send does; -b alone picks one of that group's writable queues; " +
        "MsgId is the producer's id (UNIQ_KEY), for queryMsgByUniqueKey";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        args.Require(BodyOption.Name);
        if (args.Has(QueueOption.Name) && !args.Has(BrokerOption.Name)) throw new UsageException($"option --{QueueOption.Name} needs --{BrokerOption.Name}");
        args.GetInt(QueueOption.Name, 0, min: 0);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        var message = new Message(topic, Encoding.UTF8.GetBytes(args.Require(BodyOption.Name)), args.Get(TagsOption.Name)?.Trim(), args.Get(KeysOption.Name)?.Trim());
        using var loggers = CreateLoggerFactory(args, context);
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = NameServers(args), Credentials = Credentials(args), Tls = Tls(args), InstanceName = InstanceName("sendMessage"),
            ProducerGroup = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        SendResult result;
        if (args.Get(BrokerOption.Name)?.Trim() is { } broker)
        {
            var queue = await TargetQueueAsync(producer, topic, broker, args.Has(QueueOption.Name) ? args.GetInt(QueueOption.Name, 0, min: 0) : null, context.Stopping)
                .ConfigureAwait(false);
            result = await producer.SendAsync(message, queue, context.Stopping).ConfigureAwait(false);
        }
        else
        {
            result = await producer.SendAsync(message, context.Stopping).ConfigureAwait(false);
        }
        string status = ProduceCommand.StatusName(result.Status);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer => WriteJson(writer, result, status))
            : string.Create(CultureInfo.InvariantCulture,
                $"{"#Broker Name",-32}  {"#QID",-4}  {"#Send Result",-20}    {"#MsgId"}{Environment.NewLine}" +
                $"{result.Queue.BrokerName,-32}  {result.Queue.QueueId,-4}  {status,-20}    {result.MsgId}{Environment.NewLine}");
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return result.Status == SendStatus.SendOk ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The queue <paramref name="queueId"/> of the broker group, or (none given) one of its writable queues.</summary>
    private static async Task<Protocol.Bodies.MessageQueue> TargetQueueAsync(MQProducer producer, string topic, string broker, int? queueId, CancellationToken cancellationToken)
    {
        var queues = (await producer.FetchPublishQueuesAsync(topic, cancellationToken).ConfigureAwait(false)).Where(q => q.BrokerName == broker).ToList();
        if (queues.Count == 0) throw new MQClientException($"Broker {broker} holds no writable queue of topic {topic}.");
        if (queueId is null) return queues[Random.Shared.Next(queues.Count)];
        return queues.FirstOrDefault(q => q.QueueId == queueId)
            ?? throw new MQClientException($"Queue {queueId} is not a writable queue of topic {topic} on {broker} (queue ids 0..{queues.Count - 1}).");
    }

    private static void WriteJson(Utf8JsonWriter writer, SendResult result, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("brokerName", result.Queue.BrokerName);
        writer.WriteNumber("queueId", result.Queue.QueueId);
        writer.WriteString("sendStatus", status);
        writer.WriteString("msgId", result.MsgId);
        writer.WriteString("offsetMsgId", result.OffsetMsgId);
        writer.WriteNumber("queueOffset", result.QueueOffset);
        writer.WriteEndObject();
    }
}
