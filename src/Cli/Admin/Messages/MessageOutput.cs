using System.Globalization;
using System.Text;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>How mqadmin's message verbs print a message: the <c>OffsetID: ...</c> block of queryMsgById, the one-line
/// <c>MSGID: ... BODY: ...</c> form of printMsg, and the JSON of <c>--json</c>.</summary>
internal static class MessageOutput
{
    /// <summary>Where mqadmin writes the body of a message it shows (one file per message id).</summary>
    public static string BodyFolder => Path.Combine(Path.GetTempPath(), "rocketmq", "msgbodys");

    private const string HumanTimeFormat = "yyyy-MM-dd HH:mm:ss,fff";

    /// <summary>The charset option as an encoding (UTF-8 when not given); an unknown name is a usage error.</summary>
    public static Encoding Charset(ParsedArgs args, OptionSpec option)
    {
        string? name = args.Get(option.Name)?.Trim();
        if (name is null) return Encoding.UTF8;
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"option --{option.Name} = '{name}': unknown charset (e.g. UTF-8, GBK, ISO-8859-1)");
        }
    }

    /// <summary>Writes the body to <see cref="BodyFolder"/>/&lt;msgId&gt;, as mqadmin does; returns the path.</summary>
    public static string WriteBodyFile(MessageExt message)
    {
        Directory.CreateDirectory(BodyFolder);
        string path = Path.Combine(BodyFolder, message.MsgId);
        File.WriteAllBytes(path, message.Body);
        return path;
    }

    /// <summary>mqadmin's detail block (queryMsgById, queryMsgByOffset; queryMsgByUniqueKey leaves out the OffsetID line).</summary>
    public static string Detail(MessageExt message, string bodyPath, Encoding? bodyCharset, bool offsetIdLine = true)
    {
        var text = new StringBuilder();
        if (offsetIdLine) Line(text, "OffsetID:", message.OffsetMsgId);
        Line(text, "Topic:", message.Topic);
        Line(text, "Tags:", $"[{message.Tags ?? "null"}]");
        Line(text, "Keys:", $"[{message.Keys ?? "null"}]");
        Line(text, "Queue ID:", Number(message.QueueId));
        Line(text, "Queue Offset:", Number(message.QueueOffset));
        Line(text, "CommitLog Offset:", Number(message.CommitLogOffset));
        Line(text, "Reconsume Times:", Number(message.ReconsumeTimes));
        Line(text, "Born Timestamp:", HumanTime(message.BornTimestamp));
        Line(text, "Store Timestamp:", HumanTime(message.StoreTimestamp));
        Line(text, "Born Host:", message.BornHost);
        Line(text, "Store Host:", message.StoreHost);
        Line(text, "System Flag:", Number(message.SysFlag));
        Line(text, "Properties:", Properties(message));
        Line(text, "Message Body Path:", bodyPath);
        if (bodyCharset is not null) Line(text, "Message Body:", bodyCharset.GetString(message.Body));
        return text.ToString();
    }

    /// <summary>printMsg's line: <c>MSGID: id MessageExt [...] BODY: text</c> (or <c>NOT PRINT BODY</c>).</summary>
    public static string OneLine(MessageExt message, Encoding charset, bool printBody) =>
        $"MSGID: {message.MsgId} {Describe(message)} BODY: {(printBody ? charset.GetString(message.Body) : "NOT PRINT BODY")}";

    /// <summary>Java's MessageExt.toString field order; the body is given as its length instead of every byte.</summary>
    public static string Describe(MessageExt message) => string.Create(CultureInfo.InvariantCulture,
        $"MessageExt [brokerName={message.BrokerName}, queueId={message.QueueId}, storeSize={message.StoreSize}, queueOffset={message.QueueOffset}, " +
        $"sysFlag={message.SysFlag}, bornTimestamp={message.BornTimestamp}, bornHost=/{message.BornHost}, storeTimestamp={message.StoreTimestamp}, " +
        $"storeHost=/{message.StoreHost}, msgId={message.MsgId}, commitLogOffset={message.CommitLogOffset}, reconsumeTimes={message.ReconsumeTimes}, " +
        $"toString()=Message{{topic='{message.Topic}', flag={message.Flag}, properties={Properties(message)}, body=[{message.Body.Length} bytes]}}]");

    /// <summary>The queue as Java's MessageQueue.toString prints it.</summary>
    public static string Describe(MessageQueue queue) =>
        string.Create(CultureInfo.InvariantCulture, $"MessageQueue [topic={queue.Topic}, brokerName={queue.BrokerName}, queueId={queue.QueueId}]");

    /// <summary>RocketMQ's PullStatus names.</summary>
    public static string StatusName(PullStatus status) => status switch
    {
        PullStatus.Found => "FOUND",
        PullStatus.NoNewMessage => "NO_NEW_MSG",
        PullStatus.NoMatchedMessage => "NO_MATCHED_MSG",
        _ => "OFFSET_ILLEGAL",
    };

    /// <summary>One message as a JSON object; the body decoded with <paramref name="bodyCharset"/>, or left out when null.</summary>
    public static void WriteJson(Utf8JsonWriter writer, MessageExt message, Encoding? bodyCharset, string? bodyPath = null)
    {
        writer.WriteStartObject();
        writer.WriteString("msgId", message.MsgId);
        writer.WriteString("offsetMsgId", message.OffsetMsgId);
        writer.WriteString("topic", message.Topic);
        writer.WriteString("tags", message.Tags);
        writer.WriteString("keys", message.Keys);
        writer.WriteString("brokerName", message.BrokerName);
        writer.WriteNumber("queueId", message.QueueId);
        writer.WriteNumber("queueOffset", message.QueueOffset);
        writer.WriteNumber("commitLogOffset", message.CommitLogOffset);
        writer.WriteNumber("reconsumeTimes", message.ReconsumeTimes);
        writer.WriteNumber("bornTimestamp", message.BornTimestamp);
        writer.WriteNumber("storeTimestamp", message.StoreTimestamp);
        writer.WriteString("bornHost", message.BornHost);
        writer.WriteString("storeHost", message.StoreHost);
        writer.WriteNumber("sysFlag", message.SysFlag);
        writer.WriteNumber("storeSize", message.StoreSize);
        writer.WriteNumber("bodyLength", message.Body.Length);
        writer.WriteStartObject("properties");
        foreach (var (name, value) in message.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.WriteString(name, value);
        writer.WriteEndObject();
        if (bodyCharset is not null) writer.WriteString("body", bodyCharset.GetString(message.Body));
        if (bodyPath is not null) writer.WriteString("bodyPath", bodyPath);
        writer.WriteEndObject();
    }

    private static string Properties(MessageExt message) =>
        "{" + string.Join(", ", message.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + "}";

    private static void Line(StringBuilder text, string label, string value) => text.Append($"{label,-20} {value}").AppendLine();

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RocketMQ's UtilAll.timeMillisToHumanString2: local time with a comma before the milliseconds.</summary>
    private static string HumanTime(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).ToLocalTime().ToString(HumanTimeFormat, CultureInfo.InvariantCulture);
}
