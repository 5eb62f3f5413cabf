using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>
/// The broker-side tag filter of a pull: a ConsumeQueue unit passes when its tag hash (Java String.hashCode of
/// TAGS) is one of the subscription's tag hashes, or always for "*". Hash-only, as in RocketMQ; clients re-check
/// the exact tag. SQL92 expressions are refused with a clear error (no property filtering in this broker).
/// </summary>
public sealed class SubscriptionFilter
{
    private readonly long[] _codes;

    private SubscriptionFilter(long[] codes) => _codes = codes;

    public const string TagExpression = "TAG";
    public const string Sql92Expression = "SQL92";

    /// <summary>Parses an expression such as "TagA || TagB"; null or "*" (or only blanks) means every message.</summary>
    public static bool TryFromExpression(string? expressionType, string? expression, out SubscriptionFilter? filter, out string? error)
    {
        filter = null;
        error = null;
        if (IsSql92(expressionType))
        {
            error = Sql92Unsupported;
            return false;
        }
        if (expression is null || IsAll(expression)) return true;
        var codes = new List<long>();
        foreach (var tag in expression.Split("||", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag == SubscriptionData.SubAll) return true;
            codes.Add(JavaStringHash.Compute(tag));
        }
        if (codes.Count > 0) filter = new SubscriptionFilter([.. codes]);
        return true;
    }

    /// <summary>From a heartbeat's subscription: its codeSet when present, else its expression.</summary>
    public static bool TryFromSubscription(SubscriptionData subscription, out SubscriptionFilter? filter, out string? error)
    {
        if (IsSql92(subscription.ExpressionType))
        {
            filter = null;
            error = Sql92Unsupported;
            return false;
        }
        if (subscription.CodeSet.Count == 0 || IsAll(subscription.SubString))
        {
            return TryFromExpression(subscription.ExpressionType, subscription.SubString, out filter, out error);
        }
        var codes = new long[subscription.CodeSet.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = subscription.CodeSet[i];
        filter = new SubscriptionFilter(codes);
        error = null;
        return true;
    }

    /// <summary>True when a unit with this tag hash passes.</summary>
    public bool Matches(long tagsCode)
    {
        foreach (long code in _codes)
        {
            if (code == tagsCode) return true;
        }
        return false;
    }

    private const string Sql92Unsupported =
        "this broker does not support SQL92 message filtering; subscribe with a tag expression (\"TagA || TagB\" or \"*\")";

    private static bool IsSql92(string? expressionType) =>
        string.Equals(expressionType, Sql92Expression, StringComparison.OrdinalIgnoreCase);

    private static bool IsAll(string expression) =>
        string.IsNullOrWhiteSpace(expression) || expression.Trim() == SubscriptionData.SubAll;
}
