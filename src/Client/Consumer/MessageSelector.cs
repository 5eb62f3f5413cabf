namespace RaftMq.Client.Consumer;

/// <summary>
/// What a consumer subscribes to in a topic, as RocketMQ's <c>MessageSelector</c>: a tag expression ("*", "TagA ||
/// TagB") or a SQL92 expression over message properties ("a > 5 AND region = 'eu'"), which the broker evaluates and
/// which needs <c>enablePropertyFilter=true</c> there.
/// </summary>
public sealed record MessageSelector
{
    private MessageSelector(string expressionType, string expression)
    {
        ExpressionType = expressionType;
        Expression = expression;
    }

    /// <summary>The expression type of tag selectors.</summary>
    public const string TagType = "TAG";

    /// <summary>The expression type of SQL92 selectors.</summary>
    public const string Sql92Type = "SQL92";

    /// <summary>"TAG" or "SQL92".</summary>
    public string ExpressionType { get; }

    /// <summary>The tag expression or the SQL92 text.</summary>
    public string Expression { get; }

    /// <summary>True for a SQL92 selector.</summary>
    public bool IsSql92 => ExpressionType == Sql92Type;

    /// <summary>A SQL92 selector over message properties (TAGS included); the broker checks it before the consumer starts.</summary>
    public static MessageSelector BySql(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return new MessageSelector(Sql92Type, sql.Trim());
    }

    /// <summary>A tag expression: "*" (or null) for every message, or tags joined by "||".</summary>
    public static MessageSelector ByTag(string? tags) => new(TagType, string.IsNullOrWhiteSpace(tags) ? "*" : tags);
}
