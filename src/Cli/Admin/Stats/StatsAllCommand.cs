using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Stats;

/// <summary><c>raftmq admin statsAll [-t TOPIC] [-a]</c>: mqadmin's topic and consumer TPS table, from every master's
/// runtime statistics (VIEW_BROKER_STATS_DATA 315: TOPIC_PUT_NUMS, GROUP_GET_NUMS), the groups consuming each topic
/// (QUERY_TOPIC_CONSUME_BY_WHO 300) and their backlog (GET_CONSUME_STATS 208).</summary>
public sealed class StatsAllCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "print this topic only");
    private static readonly OptionSpec ActiveOption = OptionSpec.Flag("activeTopic", "a", "print topics with traffic in the last 24 hours only");

    public override string Name => "statsAll";

    public override string Summary => "put and get TPS and 24-hour counts of every topic and consumer group";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, ActiveOption, JsonOption];

    protected override string Notes =>
        "the figures are each master's since it started or became leader (runtime statistics, not replicated); retry and DLQ topics are left out";

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var rows = await admin.GetStatsAllAsync(args.Get(TopicOption.Name), args.Has(ActiveOption.Name), context.Stopping).ConfigureAwait(false);
        await context.Out.WriteAsync(args.Has(JsonOption.Name) ? Json(rows) : Text(rows)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(IReadOnlyList<TopicTraffic> rows)
    {
        var table = new TextTable("Topic", "Consumer Group", "Accumulation", "InTPS", "OutTPS", "InMsg24Hour", "OutMsg24Hour")
            .AlignRight("Accumulation", "InTPS", "OutTPS", "InMsg24Hour", "OutMsg24Hour");
        foreach (var row in rows)
        {
            // As mqadmin: a topic nobody consumes shows an empty group and OutTPS, and NO_CONSUMER for the outgoing count.
            table.AddRow(row.Topic, row.Group ?? "", row.Accumulation, Tps(row.InTps), row.Group is null ? "" : Tps(row.OutTps), row.InMsg24Hour,
                row.Group is null ? "NO_CONSUMER" : row.OutMsg24Hour);
        }
        return table.ToString();
    }

    private static string Tps(double tps) => tps.ToString("F2", CultureInfo.InvariantCulture);

    private static string Json(IReadOnlyList<TopicTraffic> rows) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("topic", row.Topic);
            if (row.Group is null) writer.WriteNull("consumerGroup");
            else writer.WriteString("consumerGroup", row.Group);
            writer.WriteNumber("accumulation", row.Accumulation);
            writer.WriteNumber("inTps", Math.Round(row.InTps, 2));
            writer.WriteNumber("outTps", Math.Round(row.OutTps, 2));
            writer.WriteNumber("inMsg24Hour", row.InMsg24Hour);
            writer.WriteNumber("outMsg24Hour", row.OutMsg24Hour);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });
}
