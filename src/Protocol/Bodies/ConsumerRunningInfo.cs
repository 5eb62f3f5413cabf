using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// GET_CONSUMER_RUNNING_INFO (307) reply body, RocketMQ's ConsumerRunningInfo: a consumer's settings
/// (<see cref="Properties"/>), subscriptions, the state of each queue it holds and its pull/consume rates per topic.
/// On the wire <c>mqTable</c> is keyed by MessageQueue objects as fastjson writes them (<c>{{"brokerName":..}:{..}}</c>,
/// not JSON); <see cref="Encode"/> writes that form and <see cref="Decode"/> reads it, so Java tools and clients agree.
/// </summary>
public sealed class ConsumerRunningInfo
{
    public const string PropNameServerAddr = "PROP_NAMESERVER_ADDR";
    public const string PropThreadPoolCoreSize = "PROP_THREADPOOL_CORE_SIZE";
    public const string PropConsumeOrderly = "PROP_CONSUMEORDERLY";
    public const string PropConsumeType = "PROP_CONSUME_TYPE";
    public const string PropClientVersion = "PROP_CLIENT_VERSION";
    public const string PropConsumerStartTimestamp = "PROP_CONSUMER_START_TIMESTAMP";

    /// <summary>Settings by name, as Java's <c>Properties</c> (every value a string).</summary>
    public SortedDictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public List<SubscriptionData> SubscriptionSet { get; } = [];

    /// <summary>Per held queue, ordered as Java's TreeMap orders MessageQueue (topic, broker name, queue id).</summary>
    public SortedDictionary<MessageQueue, ProcessQueueInfo> MqTable { get; } = new(MessageQueueOrder.Instance);

    /// <summary>Per topic.</summary>
    public SortedDictionary<string, ConsumeStatus> StatusTable { get; } = new(StringComparer.Ordinal);

    /// <summary>Java: the consumer process's thread dump when asked for; RaftMq's .NET client answers a summary of its tasks.</summary>
    public string? Jstack { get; set; }

    /// <summary>True for a push consumer (<c>PROP_CONSUME_TYPE=CONSUME_PASSIVELY</c>), the only kind that can consume a message directly.</summary>
    public bool IsPushType => Properties.TryGetValue(PropConsumeType, out string? type) && type == "CONSUME_PASSIVELY";

    /// <summary>The wire form: standard JSON except for <c>mqTable</c>'s object keys, as fastjson writes it.</summary>
    public byte[] Encode()
    {
        var text = new StringBuilder(1024);
        text.Append('{');
        // fastjson leaves null fields out.
        if (Jstack is not null) text.Append("\"jstack\":").Append(JsonSerializer.Serialize(Jstack, RunningInfoJsonContext.Default.String)).Append(',');
        text.Append("\"mqTable\":{");
        bool first = true;
        foreach (var (queue, info) in MqTable)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(JsonSerializer.Serialize(queue, RunningInfoJsonContext.Default.MessageQueue)).Append(':')
                .Append(JsonSerializer.Serialize(info, RunningInfoJsonContext.Default.ProcessQueueInfo));
        }
        text.Append("},\"properties\":").Append(JsonSerializer.Serialize(Properties, RunningInfoJsonContext.Default.SortedDictionaryStringString));
        text.Append(",\"statusTable\":").Append(JsonSerializer.Serialize(StatusTable, RunningInfoJsonContext.Default.SortedDictionaryStringConsumeStatus));
        text.Append(",\"subscriptionSet\":").Append(JsonSerializer.Serialize(SubscriptionSet, RunningInfoJsonContext.Default.ListSubscriptionData));
        text.Append('}');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Standard JSON for scripts: as <see cref="Encode"/>, but <c>mqTable</c> is a list of
    /// <c>{"messageQueue":..,"processQueueInfo":..}</c>.</summary>
    public string ToStandardJson()
    {
        var text = new StringBuilder(1024);
        text.Append("{\"properties\":").Append(JsonSerializer.Serialize(Properties, RunningInfoJsonContext.Default.SortedDictionaryStringString));
        text.Append(",\"subscriptionSet\":").Append(JsonSerializer.Serialize(SubscriptionSet, RunningInfoJsonContext.Default.ListSubscriptionData));
        text.Append(",\"mqTable\":[");
        bool first = true;
        foreach (var (queue, info) in MqTable)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append("{\"messageQueue\":").Append(JsonSerializer.Serialize(queue, RunningInfoJsonContext.Default.MessageQueue))
                .Append(",\"processQueueInfo\":").Append(JsonSerializer.Serialize(info, RunningInfoJsonContext.Default.ProcessQueueInfo)).Append('}');
        }
        text.Append("],\"statusTable\":").Append(JsonSerializer.Serialize(StatusTable, RunningInfoJsonContext.Default.SortedDictionaryStringConsumeStatus));
        if (Jstack is not null) text.Append(",\"jstack\":").Append(JsonSerializer.Serialize(Jstack, RunningInfoJsonContext.Default.String));
        return text.Append('}').ToString();
    }

    /// <summary>Reads the wire form (fastjson's object keys, or standard JSON); malformed input throws <see cref="BodyFormatException"/>.</summary>
    public static ConsumerRunningInfo Decode(ReadOnlySpan<byte> utf8)
    {
        byte[] json = FastJsonNormalizer.TryQuoteBareKeys(utf8, out var normalized) ? normalized : utf8.ToArray();
        try
        {
            var wire = JsonSerializer.Deserialize(json, RunningInfoJsonContext.Default.ConsumerRunningInfoWire)
                ?? throw new BodyFormatException("ConsumerRunningInfo body is null.");
            var info = new ConsumerRunningInfo { Jstack = wire.Jstack };
            foreach (var (name, value) in wire.Properties ?? []) info.Properties[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            info.SubscriptionSet.AddRange(wire.SubscriptionSet ?? []);
            foreach (var (key, queueInfo) in wire.MqTable ?? [])
            {
                var queue = JsonSerializer.Deserialize(key, RunningInfoJsonContext.Default.MessageQueue)
                    ?? throw new BodyFormatException($"ConsumerRunningInfo mqTable key {key} is not a MessageQueue.");
                info.MqTable[queue] = queueInfo;
            }
            foreach (var (topic, status) in wire.StatusTable ?? []) info.StatusTable[topic] = status;
            return info;
        }
        catch (JsonException ex)
        {
            throw new BodyFormatException($"Malformed ConsumerRunningInfo JSON body: {ex.Message}", ex);
        }
    }
}

/// <summary>Java's MessageQueue.compareTo: topic, then broker name, then queue id.</summary>
public sealed class MessageQueueOrder : IComparer<MessageQueue>
{
    public static MessageQueueOrder Instance { get; } = new();

    public int Compare(MessageQueue? x, MessageQueue? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        if (byTopic != 0) return byTopic;
        int byBroker = string.CompareOrdinal(x.BrokerName, y.BrokerName);
        return byBroker != 0 ? byBroker : x.QueueId.CompareTo(y.QueueId);
    }
}

/// <summary>One held queue in <see cref="ConsumerRunningInfo.MqTable"/> (RocketMQ's ProcessQueueInfo); timestamps in ms.</summary>
public sealed class ProcessQueueInfo
{
    [JsonPropertyName("commitOffset")]
    public long CommitOffset { get; set; }

    [JsonPropertyName("cachedMsgMinOffset")]
    public long CachedMsgMinOffset { get; set; }

    [JsonPropertyName("cachedMsgMaxOffset")]
    public long CachedMsgMaxOffset { get; set; }

    [JsonPropertyName("cachedMsgCount")]
    public int CachedMsgCount { get; set; }

    [JsonPropertyName("cachedMsgSizeInMiB")]
    public int CachedMsgSizeInMiB { get; set; }

    [JsonPropertyName("transactionMsgMinOffset")]
    public long TransactionMsgMinOffset { get; set; }

    [JsonPropertyName("transactionMsgMaxOffset")]
    public long TransactionMsgMaxOffset { get; set; }

    [JsonPropertyName("transactionMsgCount")]
    public int TransactionMsgCount { get; set; }

    [JsonPropertyName("locked")]
    public bool Locked { get; set; }

    [JsonPropertyName("tryUnlockTimes")]
    public long TryUnlockTimes { get; set; }

    [JsonPropertyName("lastLockTimestamp")]
    public long LastLockTimestamp { get; set; }

    /// <summary>RocketMQ's spelling.</summary>
    [JsonPropertyName("droped")]
    public bool Dropped { get; set; }

    [JsonPropertyName("lastPullTimestamp")]
    public long LastPullTimestamp { get; set; }

    [JsonPropertyName("lastConsumeTimestamp")]
    public long LastConsumeTimestamp { get; set; }
}

/// <summary>A topic's rates in <see cref="ConsumerRunningInfo.StatusTable"/> (RocketMQ's ConsumeStatus): RT in ms and TPS over
/// the last minute, failed messages over the last hour.</summary>
public sealed class ConsumeStatus
{
    [JsonPropertyName("pullRT")]
    public double PullRT { get; set; }

    [JsonPropertyName("pullTPS")]
    public double PullTPS { get; set; }

    [JsonPropertyName("consumeRT")]
    public double ConsumeRT { get; set; }

    [JsonPropertyName("consumeOKTPS")]
    public double ConsumeOKTPS { get; set; }

    [JsonPropertyName("consumeFailedTPS")]
    public double ConsumeFailedTPS { get; set; }

    [JsonPropertyName("consumeFailedMsgs")]
    public long ConsumeFailedMsgs { get; set; }
}

/// <summary>How a message given with CONSUME_MESSAGE_DIRECTLY (309) went (RocketMQ's CMResult).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsumeDirectlyOutcome>))]
public enum ConsumeDirectlyOutcome
{
    [JsonStringEnumMemberName("CR_SUCCESS")]
    Success,

    [JsonStringEnumMemberName("CR_LATER")]
    Later,

    [JsonStringEnumMemberName("CR_ROLLBACK")]
    Rollback,

    [JsonStringEnumMemberName("CR_COMMIT")]
    Commit,

    [JsonStringEnumMemberName("CR_THROW_EXCEPTION")]
    ThrowException,

    [JsonStringEnumMemberName("CR_RETURN_NULL")]
    ReturnNull,
}

/// <summary>CONSUME_MESSAGE_DIRECTLY (309) reply body, RocketMQ's ConsumeMessageDirectlyResult.</summary>
public sealed class ConsumeMessageDirectlyResult : IJsonBody<ConsumeMessageDirectlyResult>
{
    [JsonPropertyName("order")]
    public bool Order { get; set; }

    [JsonPropertyName("autoCommit")]
    public bool AutoCommit { get; set; } = true;

    [JsonPropertyName("consumeResult")]
    public ConsumeDirectlyOutcome? ConsumeResult { get; set; }

    [JsonPropertyName("remark")]
    public string? Remark { get; set; }

    [JsonPropertyName("spentTimeMills")]
    public long SpentTimeMills { get; set; }

    /// <summary>The wire name of <see cref="ConsumeResult"/> (<c>CR_SUCCESS</c>...), or <c>null</c>.</summary>
    public string ConsumeResultName => ConsumeResult is { } outcome
        ? JsonSerializer.Serialize(outcome, RunningInfoJsonContext.Default.ConsumeDirectlyOutcome).Trim('"')
        : "null";

    /// <summary>Java's toString, which mqadmin prints.</summary>
    public override string ToString() =>
        $"ConsumeMessageDirectlyResult [order={(Order ? "true" : "false")}, autoCommit={(AutoCommit ? "true" : "false")}, consumeResult={ConsumeResultName}, remark={Remark ?? "null"}, spentTimeMills={SpentTimeMills}]";

    static JsonTypeInfo<ConsumeMessageDirectlyResult> IJsonBody<ConsumeMessageDirectlyResult>.TypeInfo =>
        RunningInfoJsonContext.Default.ConsumeMessageDirectlyResult;
}

/// <summary>The parsed form of a running info body once its object keys became strings.</summary>
internal sealed class ConsumerRunningInfoWire
{
    [JsonPropertyName("properties")]
    public Dictionary<string, JsonElement>? Properties { get; set; }

    [JsonPropertyName("subscriptionSet")]
    public List<SubscriptionData>? SubscriptionSet { get; set; }

    [JsonPropertyName("mqTable")]
    public Dictionary<string, ProcessQueueInfo>? MqTable { get; set; }

    [JsonPropertyName("statusTable")]
    public Dictionary<string, ConsumeStatus>? StatusTable { get; set; }

    [JsonPropertyName("jstack")]
    public string? Jstack { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ConsumerRunningInfoWire))]
[JsonSerializable(typeof(ConsumeMessageDirectlyResult))]
[JsonSerializable(typeof(ConsumeDirectlyOutcome))]
[JsonSerializable(typeof(MessageQueue))]
[JsonSerializable(typeof(ProcessQueueInfo))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, ConsumeStatus>))]
[JsonSerializable(typeof(List<SubscriptionData>))]
[JsonSerializable(typeof(string))]
internal sealed partial class RunningInfoJsonContext : JsonSerializerContext;
