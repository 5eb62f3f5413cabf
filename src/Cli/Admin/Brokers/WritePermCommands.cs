using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>
/// <c>raftmq admin wipeWritePerm|addWritePerm -b GROUP</c>: clears or sets the write permission of a broker group's queues on
/// every name server (codes 205 / 327), to drain a group before maintenance and to open it again. One line per name
/// server; exit 1 when any failed.
/// </summary>
public abstract class WritePermCommand : AdminCommand
{
    private static readonly OptionSpec BrokerNameOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group name (required)");

    protected abstract string Verb { get; }

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerNameOption, JsonOption];

    protected override string Notes =>
        "held on the name servers until the group's topic table changes or its master changes (the registration then carries the brokers' perms again)";

    protected override void Validate(ParsedArgs args) => args.Require(BrokerNameOption.Name);

    protected abstract Task<IReadOnlyList<NameServerPermChange>> ChangeAsync(MQAdminClient admin, string brokerName, CancellationToken cancellationToken);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string brokerName = args.Require(BrokerNameOption.Name).Trim();
        var answers = await ChangeAsync(admin, brokerName, context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var answer in answers)
                {
                    writer.WriteStartObject();
                    writer.WriteString("nameServer", answer.NameServer);
                    writer.WriteBoolean("ok", answer.Error is null);
                    writer.WriteNumber("topicCount", answer.TopicCount);
                    if (answer.Error is not null) writer.WriteString("error", answer.Error);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            })
            : string.Concat(answers.Select(answer => (answer.Error is null
                ? $"{Verb} write perm of broker[{brokerName}] in name server[{answer.NameServer}] OK, {answer.TopicCount}"
                : $"{Verb} write perm of broker[{brokerName}] in name server[{answer.NameServer}] Failed, {answer.Error}") + Environment.NewLine));
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return answers.All(answer => answer.Error is null) ? ExitCodes.Success : ExitCodes.Failure;
    }
}

/// <summary><c>raftmq admin wipeWritePerm -b GROUP</c>.</summary>
public sealed class WipeWritePermCommand : WritePermCommand
{
    public override string Name => "wipeWritePerm";

    public override string Summary => "stop producers writing to a broker group (on every name server)";

    protected override string Verb => "wipe";

    protected override Task<IReadOnlyList<NameServerPermChange>> ChangeAsync(MQAdminClient admin, string brokerName, CancellationToken cancellationToken) =>
        admin.WipeWritePermAsync(brokerName, cancellationToken);
}

/// <summary><c>raftmq admin addWritePerm -b GROUP</c>.</summary>
public sealed class AddWritePermCommand : WritePermCommand
{
    public override string Name => "addWritePerm";

    public override string Summary => "let producers write to a broker group again (on every name server)";

    protected override string Verb => "add";

    protected override Task<IReadOnlyList<NameServerPermChange>> ChangeAsync(MQAdminClient admin, string brokerName, CancellationToken cancellationToken) =>
        admin.AddWritePermAsync(brokerName, cancellationToken);
}
