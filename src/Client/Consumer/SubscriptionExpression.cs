using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Consumer;

/// <summary>
/// A subscription. Tags: "*" (or empty) for every message, or "TagA || TagB"; the broker filters by tag hash and the
/// client re-checks the exact tag because different tags can share a hash. SQL92: the broker alone filters.
/// </summary>
internal sealed class SubscriptionExpression
{
    private SubscriptionExpression(string topic, string expression, HashSet<string> tags, long version, string expressionType = MessageSelector.TagType)
    {
        Topic = topic;
        Expression = expression;
        Tags = tags;
        Version = version;
        ExpressionType = expressionType;
    }

    /// <summary>"TAG" or "SQL92", as sent in pulls and heartbeats.</summary>
    public string ExpressionType { get; }

    public bool IsSql92 => ExpressionType == MessageSelector.Sql92Type;

    public string Topic { get; }

    /// <summary>"*" or the normalized "TagA || TagB".</summary>
    public string Expression { get; }

    /// <summary>Empty means every tag.</summary>
    public HashSet<string> Tags { get; }

    public bool MatchesAll => Tags.Count == 0;

    public long Version { get; }

    public static SubscriptionExpression Parse(string topic, string? expression, long version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (string.IsNullOrWhiteSpace(expression) || expression.Trim() == SubscriptionData.SubAll)
        {
            return new SubscriptionExpression(topic, SubscriptionData.SubAll, [], version);
        }
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in expression.Split("||"))
        {
            string tag = part.Trim();
            if (tag.Length > 0) tags.Add(tag);
        }
        if (tags.Count == 0) throw new ArgumentException($"Subscription expression \"{expression}\" names no tag.", nameof(expression));
        return new SubscriptionExpression(topic, string.Join(" || ", tags), tags, version);
    }

    public static SubscriptionExpression From(string topic, MessageSelector selector, long version)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.IsSql92
            ? new SubscriptionExpression(topic, selector.Expression, [], version, MessageSelector.Sql92Type)
            : Parse(topic, selector.Expression, version);
    }

    public bool Matches(string? tag) => MatchesAll || (tag is not null && Tags.Contains(tag));

    public SubscriptionData ToData()
    {
        var data = new SubscriptionData { Topic = Topic, SubString = Expression, SubVersion = Version, ExpressionType = ExpressionType };
        foreach (string tag in Tags)
        {
            data.TagsSet.Add(tag);
            data.CodeSet.Add(JavaStringHash.Compute(tag));
        }
        return data;
    }
}
