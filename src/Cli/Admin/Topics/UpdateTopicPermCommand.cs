using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Topics;

/// <summary>
/// <c>raftmq admin updateTopicPerm -t TOPIC -p PERM (-b ADDR | -c CLUSTER)</c>: changes a topic's permission on one master
/// or every master of a cluster, keeping its queues, order and sysflag (codes 21 then 17, through each group's log).
/// </summary>
public sealed class UpdateTopicPermCommand : AdminCommand
{
    private static readonly BrokerTargets Targets = new("updateTopicPerm", "change the perm");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");
    private static readonly OptionSpec PermOption = OptionSpec.Value("perm", "p", "PERM", "2 = write only, 4 = read only, 6 = read + write (required)");

    public override string Name => "updateTopicPerm";

    public override string Summary => "change a topic's read/write permission, keeping its queues";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [Targets.Broker, Targets.Cluster, TopicOption, PermOption, JsonOption];

    protected override string Notes => "the name servers show the new perm after the broker re-registers (at once on a topic change)";

    protected override void Validate(ParsedArgs args)
    {
        Targets.Validate(args);
        args.Require(TopicOption.Name);
        Perm(args);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        int perm = Perm(args);
        var changes = new List<(string Address, int OldPerm)>();
        foreach (string address in await Targets.ResolveAsync(admin, args, context.Stopping).ConfigureAwait(false))
        {
            changes.Add((address, await admin.UpdateTopicPermAsync(address, topic, perm, context.Stopping).ConfigureAwait(false)));
        }
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("topic", topic);
                writer.WriteNumber("perm", perm);
                writer.WriteStartArray("brokers");
                foreach (var (address, oldPerm) in changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("brokerAddr", address);
                    writer.WriteNumber("oldPerm", oldPerm);
                    writer.WriteBoolean("changed", oldPerm != perm);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            })
            : string.Concat(changes.Select(change => (change.OldPerm == perm
                ? $"new perm equals to the old one! ({change.Address})"
                : $"update topic perm from {change.OldPerm} to {perm} in {change.Address} success.") + Environment.NewLine));
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static int Perm(ParsedArgs args)
    {
        int perm = args.GetInt(PermOption.Name, 0, 2, 6);
        return perm is 2 or 4 or 6 ? perm : throw new UsageException($"option --perm = {perm}: expected 2, 4 or 6");
    }
}
