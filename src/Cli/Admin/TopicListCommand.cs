using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin topicList</c>: every topic the name servers route, one per line.</summary>
public sealed class TopicListCommand : AdminCommand
{
    public override string Name => "topicList";

    public override string Summary => "list the topics the name servers know";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [];

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        foreach (string topic in (await admin.GetTopicListAsync(context.Stopping).ConfigureAwait(false)).Order(StringComparer.Ordinal))
            await context.Out.WriteLineAsync(topic).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
