using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary><c>{"counter":N,"timestamp":ms}</c>: version of a broker's topic configuration.</summary>
public sealed record DataVersion : IJsonBody<DataVersion>
{
    [JsonPropertyName("counter")]
    public long Counter { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    static JsonTypeInfo<DataVersion> IJsonBody<DataVersion>.TypeInfo =>
        ProtocolJson.Context.DataVersion;
}

/// <summary>One broker group in route data: its addresses by broker id (0 = master).</summary>
public sealed class BrokerData
{
    /// <summary>Serialized with quoted keys ("0"); readers also accept fastjson's unquoted form.</summary>
    [JsonPropertyName("brokerAddrs")]
    public SortedDictionary<long, string> BrokerAddrs { get; set; } = [];

    [JsonPropertyName("brokerName")]
    public string BrokerName { get; set; } = "";

    [JsonPropertyName("cluster")]
    public string Cluster { get; set; } = "";

    /// <summary>The master's address, or null when no id 0 is registered.</summary>
    public string? MasterAddress() => BrokerAddrs.GetValueOrDefault(0);
}

/// <summary>Queue counts and permission of a topic on one broker group.</summary>
public sealed class QueueData
{
    [JsonPropertyName("brokerName")]
    public string BrokerName { get; set; } = "";

    /// <summary><see cref="Codes.PermName"/> bits; 6 = read + write.</summary>
    [JsonPropertyName("perm")]
    public int Perm { get; set; }

    [JsonPropertyName("readQueueNums")]
    public int ReadQueueNums { get; set; }

    [JsonPropertyName("topicSysFlag")]
    public int TopicSysFlag { get; set; }

    [JsonPropertyName("writeQueueNums")]
    public int WriteQueueNums { get; set; }
}

/// <summary>GET_ROUTEINFO_BY_TOPIC reply body (§6.1), always emitted as standard JSON.</summary>
public sealed class TopicRouteData : IJsonBody<TopicRouteData>
{
    [JsonPropertyName("brokerDatas")]
    public List<BrokerData> BrokerDatas { get; set; } = [];

    /// <summary>Always present (empty); some clients expect the key.</summary>
    [JsonPropertyName("filterServerTable")]
    public Dictionary<string, List<string>> FilterServerTable { get; set; } = [];

    /// <summary>"broker-a:4;broker-b:4" for ordered topics; omitted when null.</summary>
    [JsonPropertyName("orderTopicConf")]
    public string? OrderTopicConf { get; set; }

    [JsonPropertyName("queueDatas")]
    public List<QueueData> QueueDatas { get; set; } = [];

    static JsonTypeInfo<TopicRouteData> IJsonBody<TopicRouteData>.TypeInfo =>
        ProtocolJson.Context.TopicRouteData;
}

/// <summary>GET_BROKER_CLUSTER_INFO reply body.</summary>
public sealed class ClusterInfo : IJsonBody<ClusterInfo>
{
    [JsonPropertyName("brokerAddrTable")]
    public Dictionary<string, BrokerData> BrokerAddrTable { get; set; } = [];

    /// <summary>Cluster name to broker names.</summary>
    [JsonPropertyName("clusterAddrTable")]
    public Dictionary<string, List<string>> ClusterAddrTable { get; set; } = [];

    static JsonTypeInfo<ClusterInfo> IJsonBody<ClusterInfo>.TypeInfo =>
        ProtocolJson.Context.ClusterInfo;
}

/// <summary>GET_ALL_TOPIC_LIST_FROM_NAMESERVER reply body and similar topic lists.</summary>
public sealed class TopicList : IJsonBody<TopicList>
{
    [JsonPropertyName("brokerAddr")]
    public string? BrokerAddr { get; set; }

    [JsonPropertyName("topicList")]
    public List<string> Topics { get; set; } = [];

    static JsonTypeInfo<TopicList> IJsonBody<TopicList>.TypeInfo =>
        ProtocolJson.Context.TopicList;
}

/// <summary>Java's KVTable: REGISTER_BROKER reply body (order-topic configuration).</summary>
public sealed class KvTable : IJsonBody<KvTable>
{
    [JsonPropertyName("table")]
    public Dictionary<string, string> Table { get; set; } = [];

    static JsonTypeInfo<KvTable> IJsonBody<KvTable>.TypeInfo =>
        ProtocolJson.Context.KvTable;
}
