using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>REGISTER_BROKER (103) request (§5.9).</summary>
public readonly record struct RegisterBrokerRequestHeader
{
    public required string BrokerName { get; init; }

    /// <summary>"ip:port" clients connect to.</summary>
    public required string BrokerAddr { get; init; }

    public required string ClusterName { get; init; }

    public required string HaServerAddr { get; init; }

    /// <summary>0 = master.</summary>
    public required long BrokerId { get; init; }

    /// <summary>Body is the compressed RegisterBrokerBody form (Java <c>compressedRegister</c>).</summary>
    public bool Compressed { get; init; }

    /// <summary>CRC32 of the body masked with 0x7FFFFFFF; 0 = do not check.</summary>
    public int BodyCrc32 { get; init; }

    public static RegisterBrokerRequestHeader FromExtFields(StringMap fields) => new()
    {
        BrokerName = RequiredString(fields, "brokerName"),
        BrokerAddr = RequiredString(fields, "brokerAddr"),
        ClusterName = RequiredString(fields, "clusterName"),
        HaServerAddr = RequiredString(fields, "haServerAddr"),
        BrokerId = RequiredInt64(fields, "brokerId"),
        Compressed = OptionalBoolean(fields, "compressed") ?? false,
        BodyCrc32 = OptionalInt32(fields, "bodyCrc32") ?? 0,
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "brokerName", BrokerName);
        Put(fields, "brokerAddr", BrokerAddr);
        Put(fields, "clusterName", ClusterName);
        Put(fields, "haServerAddr", HaServerAddr);
        Put(fields, "brokerId", BrokerId);
        Put(fields, "compressed", Compressed);
        Put(fields, "bodyCrc32", BodyCrc32);
    }
}

/// <summary>REGISTER_BROKER reply: the current master's addresses (for slaves).</summary>
public readonly record struct RegisterBrokerResponseHeader
{
    public string? HaServerAddr { get; init; }

    public string? MasterAddr { get; init; }

    public static RegisterBrokerResponseHeader FromExtFields(StringMap fields) => new()
    {
        HaServerAddr = OptionalString(fields, "haServerAddr"),
        MasterAddr = OptionalString(fields, "masterAddr"),
    };

    public void ToExtFields(StringMap fields)
    {
        PutIfNotNull(fields, "haServerAddr", HaServerAddr);
        PutIfNotNull(fields, "masterAddr", MasterAddr);
    }
}

/// <summary>
/// brokerName, brokerAddr, clusterName, brokerId: the request header of UNREGISTER_BROKER (104) and
/// QUERY_DATA_VERSION (322).
/// </summary>
public readonly record struct BrokerIdentityRequestHeader
{
    public required string BrokerName { get; init; }

    public required string BrokerAddr { get; init; }

    public required string ClusterName { get; init; }

    public required long BrokerId { get; init; }

    public static BrokerIdentityRequestHeader FromExtFields(StringMap fields) => new()
    {
        BrokerName = RequiredString(fields, "brokerName"),
        BrokerAddr = RequiredString(fields, "brokerAddr"),
        ClusterName = RequiredString(fields, "clusterName"),
        BrokerId = RequiredInt64(fields, "brokerId"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "brokerName", BrokerName);
        Put(fields, "brokerAddr", BrokerAddr);
        Put(fields, "clusterName", ClusterName);
        Put(fields, "brokerId", BrokerId);
    }
}

/// <summary>QUERY_DATA_VERSION reply: whether the name server's stored DataVersion differs.</summary>
public readonly record struct QueryDataVersionResponseHeader
{
    public required bool Changed { get; init; }

    public static QueryDataVersionResponseHeader FromExtFields(StringMap fields) =>
        new() { Changed = RequiredBoolean(fields, "changed") };

    public void ToExtFields(StringMap fields) => Put(fields, "changed", Changed);
}

/// <summary>GET_ROUTEINFO_BY_TOPIC (105) request.</summary>
public readonly record struct GetRouteInfoRequestHeader
{
    public required string Topic { get; init; }

    /// <summary>Asks for standard JSON route data even from an old-version client.</summary>
    public bool? AcceptStandardJsonOnly { get; init; }

    public static GetRouteInfoRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        AcceptStandardJsonOnly = OptionalBoolean(fields, "acceptStandardJsonOnly"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        PutIfNotNull(fields, "acceptStandardJsonOnly", AcceptStandardJsonOnly);
    }
}
