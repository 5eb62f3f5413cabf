using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>Options several message verbs share, with mqadmin's letters.</summary>
internal static class MessageOptions
{
    public static readonly OptionSpec Topic = OptionSpec.Value("topic", "t", "TOPIC", "topic (required)");
    public static readonly OptionSpec Charset = OptionSpec.Value("charsetName", "c", "CHARSET", "charset of the bodies (default UTF-8)");
    public static readonly OptionSpec Expression = OptionSpec.Value("subExpression", "s", "EXPR", "tag expression, e.g. 'TagA || TagB' (default *)");

    public static readonly OptionSpec Begin = OptionSpec.Value("beginTimestamp", "b", "TIME",
        $"from the first message stored at or after: ms since 1970 or {TimeArgument.DateFormatText}");

    public static readonly OptionSpec End = OptionSpec.Value("endTimestamp", "e", "TIME", "up to the first message stored at or after this time");
}
