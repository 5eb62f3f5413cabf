using RaftMq.Broker.Filter;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>Why a subscription is refused, with RocketMQ's response code and a remark for the client.</summary>
public sealed record SubscriptionRefusal(int Code, string Remark);

/// <summary>
/// The broker-side filter of a pull. A tag subscription passes a ConsumeQueue unit when its tag hash (Java
/// String.hashCode of TAGS) is one of the subscription's tag hashes, or always for "*": hash-only, as in RocketMQ,
/// and clients re-check the exact tag. A SQL92 subscription (only with <c>enablePropertyFilter=true</c>) passes a
/// message when its compiled selector is TRUE over the message's properties.
/// </summary>
public sealed class SubscriptionFilter
{
    private readonly long[]? _codes;

    private SubscriptionFilter(long[]? codes, Sql92Filter? selector)
    {
        _codes = codes;
        if (codes is not null) TagFilter = MatchesTagsCode;
        if (selector is not null) RecordFilter = selector.MatchesRecord;
    }

    public const string TagExpression = "TAG";
    public const string Sql92Expression = "SQL92";

    /// <summary>The ConsumeQueue stage (tag hashes); null when every tag passes.</summary>
    public Func<long, bool>? TagFilter { get; }

    /// <summary>The message stage (SQL92 selector); null for tag subscriptions.</summary>
    public StoredRecordPredicate? RecordFilter { get; }

    /// <summary>From a pull's own expression ("TagA || TagB", "*" or a SQL92 selector).</summary>
    public static SubscriptionRefusal? TryFromExpression(string? expressionType, string? expression, bool enablePropertyFilter,
        out SubscriptionFilter? filter)
    {
        filter = null;
        if (IsSql92(expressionType)) return TryCompileSql92(expression, enablePropertyFilter, out filter);
        if (expression is null || IsAll(expression)) return null;
        var codes = new List<long>();
        foreach (var tag in expression.Split("||", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag == SubscriptionData.SubAll) return null;
            codes.Add(JavaStringHash.Compute(tag));
        }
        if (codes.Count > 0) filter = new SubscriptionFilter([.. codes], null);
        return null;
    }

    /// <summary>From a heartbeat's subscription: its codeSet when present, else its expression.</summary>
    public static SubscriptionRefusal? TryFromSubscription(SubscriptionData subscription, bool enablePropertyFilter, out SubscriptionFilter? filter)
    {
        if (IsSql92(subscription.ExpressionType) || subscription.CodeSet.Count == 0 || IsAll(subscription.SubString))
        {
            return TryFromExpression(subscription.ExpressionType, subscription.SubString, enablePropertyFilter, out filter);
        }
        var codes = new long[subscription.CodeSet.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = subscription.CodeSet[i];
        filter = new SubscriptionFilter(codes, null);
        return null;
    }

    /// <summary>What HEART_BEAT and CHECK_CLIENT_CONFIG check before accepting a subscription (null: acceptable).</summary>
    public static SubscriptionRefusal? Validate(SubscriptionData subscription, bool enablePropertyFilter) =>
        IsSql92(subscription.ExpressionType) ? TryCompileSql92(subscription.SubString, enablePropertyFilter, out _) : null;

    /// <summary>True when a unit with this tag hash passes.</summary>
    private bool MatchesTagsCode(long tagsCode)
    {
        foreach (long code in _codes!)
        {
            if (code == tagsCode) return true;
        }
        return false;
    }

    private static SubscriptionRefusal? TryCompileSql92(string? expression, bool enablePropertyFilter, out SubscriptionFilter? filter)
    {
        filter = null;
        // RocketMQ's code and remark, which its clients show; the broker.conf key is named to help operators.
        if (!enablePropertyFilter)
        {
            return new SubscriptionRefusal(ResponseCode.SystemError,
                "The broker does not support consumer to filter message by SQL92 (set enablePropertyFilter=true in broker.conf)");
        }
        if (!Sql92FilterCache.Shared.TryGet(expression, out var selector, out string? error))
        {
            return new SubscriptionRefusal(ResponseCode.SubscriptionParseFailed, error!);
        }
        filter = new SubscriptionFilter(null, selector);
        return null;
    }

    private static bool IsSql92(string? expressionType) =>
        string.Equals(expressionType, Sql92Expression, StringComparison.OrdinalIgnoreCase);

    private static bool IsAll(string expression) =>
        string.IsNullOrWhiteSpace(expression) || expression.Trim() == SubscriptionData.SubAll;
}
