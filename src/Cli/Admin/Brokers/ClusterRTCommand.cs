using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin clusterRT [-c CLUSTER] [-a AMOUNT] [-s SIZE] [-i SECONDS]</c>: mqadmin's clusterRT. Every interval it
/// sends AMOUNT messages to the topic named after each broker group of the cluster(s) (brokerTopicEnable) and prints the average
/// round trip per group, until stopped.</summary>
public sealed class ClusterRTCommand : AdminCommand
{
    private static readonly OptionSpec AmountOption = OptionSpec.Value("amout", "a", "N", "messages per group and round, at least 2 (default 50; mqadmin's spelling)");
    private static readonly OptionSpec SizeOption = OptionSpec.Value("size", "s", "BYTES", "message size (default 128)");
    private static readonly OptionSpec ClusterOption = OptionSpec.Value("cluster", "c", "CLUSTER", "one cluster (default: every cluster)");
    private static readonly OptionSpec PrintLogOption = OptionSpec.Value("printLog", "p", "true|false", "print as tlog lines: time|room|cluster|group|rt (default false)");
    private static readonly OptionSpec MachineRoomOption = OptionSpec.Value("machineRoom", "m", "NAME", "machine room in tlog lines (default noname)");
    private static readonly OptionSpec IntervalOption = OptionSpec.Value("interval", "i", "SECONDS", "pause between rounds (default 10)");
    private static readonly OptionSpec RoundsOption = OptionSpec.Value("rounds", null, "N", "stop after N rounds (RaftMq's; default: until Ctrl-C, as mqadmin)");

    public override string Name => "clusterRT";

    public override string Summary => "send to every broker group's own topic in rounds and print the average send round trip per group";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [AmountOption, SizeOption, ClusterOption, PrintLogOption, MachineRoomOption, IntervalOption, RoundsOption, JsonOption];

    protected override string Notes => "#Cluster Name #Broker Name #RT #successCount #failCount per group and round; RT = average ms of the sends after the first; " +
        "--json prints one JSON object per group and round (JSON lines); exit 1 when the cluster is unknown or a send failed";

    protected override void Validate(ParsedArgs args)
    {
        args.GetInt(AmountOption.Name, 50, min: 2);
        args.GetInt(SizeOption.Name, 128, min: 1, max: 4 * 1024 * 1024);
        args.GetInt(IntervalOption.Name, 10, min: 0);
        args.GetInt(RoundsOption.Name, 0, min: 0);
        _ = Groups.UpdateSubGroupCommand.Bool(args, PrintLogOption, false);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        int amount = args.GetInt(AmountOption.Name, 50, min: 2);
        byte[] body = Encoding.UTF8.GetBytes(new string('a', args.GetInt(SizeOption.Name, 128, min: 1, max: 4 * 1024 * 1024)));
        var interval = TimeSpan.FromSeconds(args.GetInt(IntervalOption.Name, 10, min: 0));
        int rounds = args.GetInt(RoundsOption.Name, 0, min: 0);
        bool tlog = Groups.UpdateSubGroupCommand.Bool(args, PrintLogOption, false);
        bool json = args.Has(JsonOption.Name);
        string room = args.Get(MachineRoomOption.Name)?.Trim() ?? "noname";
        var table = await admin.GetClusterGroupsAsync(context.Stopping).ConfigureAwait(false);
        IReadOnlyList<string> clusters = args.Get(ClusterOption.Name)?.Trim() is { } one ? [one] : [.. table.Keys];
        if (clusters.FirstOrDefault(cluster => !table.ContainsKey(cluster)) is { } unknown)
        {
            await context.Error.WriteLineAsync($"cluster [{unknown}] not exist").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        using var loggers = CreateLoggerFactory(args, context);
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = NameServers(args), Credentials = Credentials(args), Tls = Tls(args),
            ProducerGroup = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), InstanceName = InstanceName("clusterRT"),
        }, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        if (!tlog && !json) await context.Out.WriteLineAsync($"{"#Cluster Name",-24}  {"#Broker Name",-24}  {"#RT",-4}  {"#successCount",-8}  {"#failCount",-8}").ConfigureAwait(false);
        bool anyFailed = false;
        for (int round = 1; rounds == 0 || round <= rounds; round++)
        {
            foreach (string cluster in clusters)
            {
                foreach (string group in table[cluster])
                {
                    var (rt, succeeded, failed) = await MeasureAsync(producer, group, body, amount, context.Stopping).ConfigureAwait(false);
                    anyFailed |= failed > 0;
                    await context.Out.WriteLineAsync(Row(cluster, group, rt, succeeded, failed, tlog, json, room)).ConfigureAwait(false);
                }
            }
            if (rounds != 0 && round == rounds) break;
            await Task.Delay(interval, context.Stopping).ConfigureAwait(false);
        }
        return anyFailed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>mqadmin's measure: <paramref name="amount"/> sends, the first one's time left out of the average.</summary>
    private static async Task<(double RtMs, int Succeeded, int Failed)> MeasureAsync(MQProducer producer, string topic, byte[] body, int amount,
        CancellationToken cancellationToken)
    {
        double elapsedMs = 0;
        int succeeded = 0;
        int failed = 0;
        for (int i = 0; i < amount; i++)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                await producer.SendAsync(new Message(topic, body), cancellationToken).ConfigureAwait(false);
                succeeded++;
            }
            catch (MQException)
            {
                failed++;
            }
            if (i != 0) elapsedMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return (elapsedMs / (amount - 1), succeeded, failed);
    }

    private static string Row(string cluster, string group, double rt, int succeeded, int failed, bool tlog, bool json, string room)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("cluster", cluster);
                writer.WriteString("brokerName", group);
                writer.WriteNumber("rtMs", Math.Round(rt, 2));
                writer.WriteNumber("successCount", succeeded);
                writer.WriteNumber("failCount", failed);
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        if (tlog)
        {
            // mqadmin stamps tlog lines in GMT+8.
            string time = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", invariant);
            return string.Create(invariant, $"{time}|{room}|{cluster}|{group}|{Math.Round(rt, MidpointRounding.AwayFromZero):F0}");
        }
        return string.Create(invariant, $"{cluster,-24}  {group,-24}  {rt.ToString("F2", invariant),-8}  {succeeded,-16}  {failed,-16}");
    }
}
