using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Cli.Admin.Groups;

/// <summary><c>raftmq admin consumerStatus -g GROUP [-i CLIENTID] [-s]</c>: mqadmin's consumerStatus. Each online member is asked
/// for its running info (GET_CONSUMER_RUNNING_INFO 307, passed on by a broker to the client): settings, subscriptions, the
/// state of every queue it holds and its pull/consume rates.</summary>
public sealed class ConsumerStatusCommand : AdminCommand
{
    private static readonly OptionSpec GroupOption = OptionSpec.Value("consumerGroup", "g", "GROUP", "consumer group name (required)");
    private static readonly OptionSpec ClientOption = OptionSpec.Value("clientId", "i", "CLIENTID", "print the full running info of this member only");
    private static readonly OptionSpec JstackOption = OptionSpec.Flag("jstack", "s", "also ask for the consumer's threads (Java: jstack; .NET clients: a thread pool summary)");

    public override string Name => "consumerStatus";

    public override string Summary => "a consumer group's members from the inside: settings, subscriptions, held queues, pull/consume rates";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, ClientOption, JstackOption, JsonOption];

    protected override string Notes => "without -i: one line per member (NNN  CLIENT_ID VERSION FILE; FILE holds its running info under " +
        FolderName + "), then the group's checks; exit 1 when no member is online or a member cannot answer";

    private static string FolderName => Path.Combine(Path.GetTempPath(), "rocketmq", "consumerStatus");

    protected override void Validate(ParsedArgs args) => args.Require(GroupOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string group = args.Require(GroupOption.Name).Trim();
        bool jstack = args.Has(JstackOption.Name);
        bool json = args.Has(JsonOption.Name);
        if (args.Get(ClientOption.Name)?.Trim() is { } clientId)
        {
            var info = await admin.GetConsumerRunningInfoAsync(group, clientId, jstack, context.Stopping).ConfigureAwait(false);
            await context.Out.WriteAsync(json ? JsonOutput.Indent(info.ToStandardJson()) : ConsumerRunningInfoText.Format(info)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        var connection = await admin.GetConsumerConnectionAsync(group, context.Stopping).ConfigureAwait(false);
        var now = DateTimeOffset.Now;
        var infos = new SortedDictionary<string, (ClientConnection Connection, ConsumerRunningInfo Info, string Path)>(StringComparer.Ordinal);
        int failures = 0;
        var text = new StringBuilder();
        int row = 1;
        foreach (var member in connection.ConnectionSet)
        {
            try
            {
                var info = await admin.GetConsumerRunningInfoAsync(group, member.ClientId, jstack, context.Stopping).ConfigureAwait(false);
                string path = Path.Combine(FolderName, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), member.ClientId);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, ConsumerRunningInfoText.Format(info), context.Stopping).ConfigureAwait(false);
                infos[member.ClientId] = (member, info, path);
                text.Append(CultureInfo.InvariantCulture, $"{row++:D3}  {member.ClientId,-40} {MQVersion.Describe(member.Version),-20} {path}\n");
            }
            catch (MQException ex)
            {
                failures++;
                await context.Error.WriteLineAsync($"{member.ClientId}: {ex.Message}").ConfigureAwait(false);
            }
        }
        if (json)
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var (member, entry) in infos)
                {
                    writer.WriteStartObject();
                    writer.WriteString("clientId", member);
                    writer.WriteString("version", MQVersion.Describe(entry.Connection.Version));
                    writer.WriteString("file", entry.Path);
                    writer.WritePropertyName("runningInfo");
                    writer.WriteRawValue(entry.Info.ToStandardJson());
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            })).ConfigureAwait(false);
            return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
        if (infos.Count > 0)
        {
            if (ConsumerRunningInfoText.SameSubscription([.. infos.Values.Select(v => v.Info)], now))
            {
                text.Append("\n\nSame subscription in the same group of consumer");
                text.Append("\n\nRebalance OK\n");
                foreach (var (member, entry) in infos) text.Append(ConsumerRunningInfoText.ProcessQueueWarnings(member, entry.Info, now));
            }
            else
            {
                text.Append("\n\nWARN: Different subscription in the same group of consumer!!!\n");
            }
        }
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
