using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Groups;

/// <summary>
/// <c>raftmq admin updateSubGroup -g GROUP (-b ADDR | -c CLUSTER) [-s -m -d -q -r -i -w -a]</c>: creates or replaces a
/// consumer group's subscription settings (code 200) on one master or every master of a cluster; each group writes
/// them through its Raft log. Options and output as mqadmin's.
/// </summary>
public sealed class UpdateSubGroupCommand : AdminCommand
{
    private static readonly BrokerTargets Targets = new("updateSubGroup", "create the subscription group");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("groupName", "g", "GROUP", "consumer group name (required)");
    private static readonly OptionSpec ConsumeEnableOption = OptionSpec.Value("consumeEnable", "s", "true|false", "may the group pull (default true)");
    private static readonly OptionSpec FromMinOption = OptionSpec.Value("consumeFromMinEnable", "m", "true|false", "from min offset (default false, kept for mqadmin)");
    private static readonly OptionSpec BroadcastOption = OptionSpec.Value("consumeBroadcastEnable", "d", "true|false", "may the group consume in broadcasting mode (default false)");
    private static readonly OptionSpec RetryQueuesOption = OptionSpec.Value("retryQueueNums", "q", "N", "queues of %RETRY%GROUP (default 1)");
    private static readonly OptionSpec RetryMaxOption = OptionSpec.Value("retryMaxTimes", "r", "N", "deliveries before the DLQ when the client sets no limit (default 16)");
    private static readonly OptionSpec BrokerIdOption = OptionSpec.Value("brokerId", "i", "ID", "consume from which broker id (default 0, kept for mqadmin)");
    private static readonly OptionSpec SlowBrokerOption = OptionSpec.Value("whichBrokerWhenConsumeSlowly", "w", "ID", "broker id when consuming slowly (default 1, kept for mqadmin)");
    private static readonly OptionSpec NotifyOption = OptionSpec.Value("notifyConsumerIdsChanged", "a", "true|false", "notify consumer id changes (default true)");

    public override string Name => "updateSubGroup";

    public override string Summary => "create or update a consumer group's subscription settings";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
    [
        Targets.Broker, Targets.Cluster, GroupOption, ConsumeEnableOption, FromMinOption, BroadcastOption, RetryQueuesOption, RetryMaxOption,
        BrokerIdOption, SlowBrokerOption, NotifyOption, JsonOption,
    ];

    protected override string Notes =>
        "as mqadmin, options not given take mqadmin's values (consumeBroadcastEnable and consumeFromMinEnable false); " +
        "the settings go through each group's Raft log; pulls of a group with consumeEnable false are refused (NO_PERMISSION)";

    protected override void Validate(ParsedArgs args)
    {
        Targets.Validate(args);
        Settings(args);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var config = Settings(args);
        var addresses = await Targets.ResolveAsync(admin, args, context.Stopping).ConfigureAwait(false);
        foreach (string address in addresses)
        {
            await admin.CreateOrUpdateSubscriptionGroupAsync(address, config, context.Stopping).ConfigureAwait(false);
            if (!args.Has(JsonOption.Name)) await context.Out.WriteLineAsync($"create subscription group to {address} success.").ConfigureAwait(false);
        }
        await context.Out.WriteAsync(args.Has(JsonOption.Name) ? Json(config, addresses) : Text(config) + Environment.NewLine).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static SubscriptionGroupConfig Settings(ParsedArgs args)
    {
        var config = new SubscriptionGroupConfig
        {
            GroupName = args.Require(GroupOption.Name).Trim(),
            ConsumeEnable = Bool(args, ConsumeEnableOption, true),
            ConsumeFromMinEnable = Bool(args, FromMinOption, false),
            ConsumeBroadcastEnable = Bool(args, BroadcastOption, false),
            RetryQueueNums = args.GetInt(RetryQueuesOption.Name, 1, 1, 1024),
            RetryMaxTimes = args.GetInt(RetryMaxOption.Name, 16, 0, 10_000),
            BrokerId = args.GetLong(BrokerIdOption.Name, 0, 0),
            WhichBrokerWhenConsumeSlowly = args.GetLong(SlowBrokerOption.Name, 1, 0),
            NotifyConsumerIdsChangedEnable = Bool(args, NotifyOption, true),
        };
        return config.Problem() is { } problem ? throw new UsageException($"updateSubGroup: {problem}") : config;
    }

    internal static bool Bool(ParsedArgs args, OptionSpec option, bool defaultValue) => args.Get(option.Name)?.Trim().ToLowerInvariant() switch
    {
        null => defaultValue,
        "true" => true,
        "false" => false,
        _ => throw new UsageException($"option --{option.Name} = '{args.Get(option.Name)}': expected true or false"),
    };

    /// <summary>mqadmin prints the settings in Java's toString form.</summary>
    private static string Text(SubscriptionGroupConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"SubscriptionGroupConfig [groupName={config.GroupName}, consumeEnable={Lower(config.ConsumeEnable)}, consumeFromMinEnable={Lower(config.ConsumeFromMinEnable)}, " +
        $"consumeBroadcastEnable={Lower(config.ConsumeBroadcastEnable)}, retryQueueNums={config.RetryQueueNums}, retryMaxTimes={config.RetryMaxTimes}, " +
        $"brokerId={config.BrokerId}, whichBrokerWhenConsumeSlowly={config.WhichBrokerWhenConsumeSlowly}, notifyConsumerIdsChangedEnable={Lower(config.NotifyConsumerIdsChangedEnable)}]");

    private static string Lower(bool value) => value ? "true" : "false";

    private static string Json(SubscriptionGroupConfig config, IReadOnlyList<string> addresses) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("brokers");
        foreach (string address in addresses) writer.WriteStringValue(address);
        writer.WriteEndArray();
        writer.WritePropertyName("subscriptionGroupConfig");
        writer.WriteRawValue(ProtocolJson.EncodeToString(config));
        writer.WriteEndObject();
    });
}
