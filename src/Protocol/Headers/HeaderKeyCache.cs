using System.Text;

namespace RaftMq.Protocol.Headers;

/// <summary>
/// Returns shared string instances for the extFields keys RocketMQ uses, so decoding a header does not allocate
/// a new key string per field per request. Unknown keys are decoded normally.
/// </summary>
internal static class HeaderKeyCache
{
    private const int MaxCachedLength = 32;

    private static readonly string[] KnownKeys =
    [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
        "producerGroup", "topic", "defaultTopic", "defaultTopicQueueNums", "queueId", "sysFlag", "bornTimestamp",
        "flag", "properties", "reconsumeTimes", "unitMode", "maxReconsumeTimes", "batch", "bname", "brokerName",
        "msgId", "queueOffset", "transactionId", "MSG_REGION", "TRACE_ON", "consumerGroup", "maxMsgNums",
        "commitOffset", "suspendTimeoutMillis", "subscription", "subVersion", "expressionType",
        "suggestWhichBrokerId", "nextBeginOffset", "minOffset", "maxOffset", "offset", "timestamp", "group",
        "delayLevel", "originMsgId", "originTopic", "tranStateTableOffset", "commitLogOffset", "commitOrRollback",
        "fromTransactionCheck", "offsetMsgId", "brokerAddr", "clusterName", "haServerAddr", "brokerId",
        "compressed", "bodyCrc32", "masterAddr", "changed", "clientID", "acceptStandardJsonOnly", "key", "maxNum",
        "beginTimestamp", "endTimestamp", "_UNIQUE_KEY_QUERY", "indexLastUpdateTimestamp",
        "indexLastUpdatePhyoffset", "readQueueNums", "writeQueueNums", "perm", "topicFilterType", "topicSysFlag",
        "order", "AccessKey", "Signature", "OnsChannel",
    ];

    private static readonly (byte[] Utf8, string Value)[][] ByLength = Build();

    public static string GetOrCreate(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxCachedLength)
        {
            foreach (var (bytes, value) in ByLength[utf8.Length])
            {
                if (utf8.SequenceEqual(bytes)) return value;
            }
        }
        return Encoding.UTF8.GetString(utf8);
    }

    private static (byte[], string)[][] Build()
    {
        var buckets = new List<(byte[], string)>[MaxCachedLength + 1];
        for (int i = 0; i < buckets.Length; i++) buckets[i] = [];
        foreach (var key in KnownKeys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            if (bytes.Length <= MaxCachedLength) buckets[bytes.Length].Add((bytes, key));
        }
        var result = new (byte[], string)[MaxCachedLength + 1][];
        for (int i = 0; i < buckets.Length; i++) result[i] = [.. buckets[i]];
        return result;
    }
}
