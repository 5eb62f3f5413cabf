using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary>Shared option of the ACL verbs: the cluster whose groups get the change.</summary>
internal static class AclOptions
{
    public static readonly OptionSpec Cluster = OptionSpec.Value("cluster", "c", "CLUSTER", "cluster whose groups get the change (default: the only cluster)");

    public static async Task<string> ClusterAsync(MQAdminClient admin, ParsedArgs args, CommandContext context) =>
        args.Get(Cluster.Name) ?? await TopicBootstrap.SingleClusterAsync(admin, context.Stopping).ConfigureAwait(false);

    public static async Task ReportAsync(CommandContext context, IReadOnlyList<string> groups, string what)
    {
        foreach (string group in groups) await context.Out.WriteLineAsync($"{what} on {group}: success").ConfigureAwait(false);
    }
}

/// <summary><c>raftmq admin updateAclConfig -a KEY -s SECRET ...</c>: add or update an account (RocketMQ code 50).</summary>
public sealed class UpdateAclConfigCommand : AdminCommand
{
    private static readonly OptionSpec AccountKeyOption = OptionSpec.Value("accessKey", "a", "KEY", "access key of the account (required, 7+ characters)");
    private static readonly OptionSpec AccountSecretOption = OptionSpec.Value("secretKey", "s", "SECRET", "secret key of the account (required, 7+ characters)");
    private static readonly OptionSpec WhiteOption = OptionSpec.Value("whiteRemoteAddress", "w", "ADDR", "addresses that may use the account unsigned");
    private static readonly OptionSpec TopicDefaultOption = OptionSpec.Value("defaultTopicPerm", "i", "PERM", "PUB, SUB, PUB|SUB or DENY for other topics");
    private static readonly OptionSpec GroupDefaultOption = OptionSpec.Value("defaultGroupPerm", "u", "PERM", "PUB, SUB, PUB|SUB or DENY for other groups");
    private static readonly OptionSpec TopicPermsOption = OptionSpec.Value("topicPerms", "t", "LIST", "topicA=PUB,topicB=SUB|PUB");
    private static readonly OptionSpec GroupPermsOption = OptionSpec.Value("groupPerms", "g", "LIST", "groupA=SUB,groupB=DENY");
    private static readonly OptionSpec AdminOption = OptionSpec.Value("admin", "m", "true|false", "admin account (default false)");

    public override string Name => "updateAclConfig";

    public override string Summary => "add or update a plain-ACL account on every group of a cluster (replicated by each group's log)";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [AccountKeyOption, AccountSecretOption, WhiteOption, TopicDefaultOption, GroupDefaultOption, TopicPermsOption, GroupPermsOption, AdminOption, AclOptions.Cluster];

    protected override string Notes =>
        "example: raftmq admin updateAclConfig -a producer01 -s secret01 -i DENY -u SUB -t TopicTest=PUB --access-key admin01 --secret-key adminsecret";

    protected override void Validate(ParsedArgs args) => Update(args);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var update = Update(args);
        string cluster = await AclOptions.ClusterAsync(admin, args, context).ConfigureAwait(false);
        var groups = await admin.UpdateAclAccountAsync(cluster, update, context.Stopping).ConfigureAwait(false);
        await AclOptions.ReportAsync(context, groups, $"update account {update.AccessKey}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static AclAccountUpdate Update(ParsedArgs args)
    {
        string admin = args.Get(AdminOption.Name, "false");
        if (admin is not ("true" or "false")) throw new UsageException($"option --admin = '{admin}': expected true or false");
        return new AclAccountUpdate(args.Require(AccountKeyOption.Name), args.Require(AccountSecretOption.Name))
        {
            WhiteRemoteAddress = args.Get(WhiteOption.Name),
            DefaultTopicPerm = args.Get(TopicDefaultOption.Name),
            DefaultGroupPerm = args.Get(GroupDefaultOption.Name),
            TopicPerms = args.Get(TopicPermsOption.Name),
            GroupPerms = args.Get(GroupPermsOption.Name),
            Admin = admin == "true",
        };
    }
}

/// <summary><c>raftmq admin deleteAclConfig -a KEY</c>: remove an account (RocketMQ code 51).</summary>
public sealed class DeleteAclConfigCommand : AdminCommand
{
    private static readonly OptionSpec AccountKeyOption = OptionSpec.Value("accessKey", "a", "KEY", "access key of the account to delete (required)");

    public override string Name => "deleteAclConfig";

    public override string Summary => "delete a plain-ACL account on every group of a cluster";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [AccountKeyOption, AclOptions.Cluster];

    protected override void Validate(ParsedArgs args) => args.Require(AccountKeyOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string accessKey = args.Require(AccountKeyOption.Name);
        string cluster = await AclOptions.ClusterAsync(admin, args, context).ConfigureAwait(false);
        var groups = await admin.DeleteAclAccountAsync(cluster, accessKey, context.Stopping).ConfigureAwait(false);
        await AclOptions.ReportAsync(context, groups, $"delete account {accessKey}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

/// <summary><c>raftmq admin updateGlobalWhiteAddr -g ADDRS</c>: replace globalWhiteRemoteAddresses (RocketMQ code 53).</summary>
public sealed class UpdateGlobalWhiteAddrCommand : AdminCommand
{
    private static readonly OptionSpec AddressesOption =
        OptionSpec.Value("globalWhiteRemoteAddresses", "g", "ADDRS", "comma separated patterns, e.g. 10.10.103.*,192.168.0.* (required; \"\" clears)");

    public override string Name => "updateGlobalWhiteAddr";

    public override string Summary => "replace the addresses trusted without signing on every group of a cluster";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [AddressesOption, AclOptions.Cluster];

    protected override void Validate(ParsedArgs args) => args.Require(AddressesOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var addresses = args.Require(AddressesOption.Name).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string cluster = await AclOptions.ClusterAsync(admin, args, context).ConfigureAwait(false);
        var groups = await admin.UpdateGlobalWhiteAddressesAsync(cluster, addresses, context.Stopping).ConfigureAwait(false);
        await AclOptions.ReportAsync(context, groups, $"set globalWhiteRemoteAddresses [{string.Join(", ", addresses)}]").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

/// <summary><c>raftmq admin getAclConfig</c>: print the rules in force on each group (RocketMQ code 54; shows secrets).</summary>
public sealed class GetAclConfigCommand : AdminCommand
{
    public override string Name => "getAclConfig";

    public override string Summary => "print the plain-ACL rules in force on each group of a cluster (admin only: shows secret keys)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [AclOptions.Cluster];

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string cluster = await AclOptions.ClusterAsync(admin, args, context).ConfigureAwait(false);
        foreach (var (group, config) in await admin.GetAclConfigAsync(cluster, context.Stopping).ConfigureAwait(false))
        {
            await context.Out.WriteLineAsync($"# {group}").ConfigureAwait(false);
            var rules = new RaftMq.Protocol.Acl.PlainAclConfig { GlobalWhiteRemoteAddresses = config.GlobalWhiteAddrs, Accounts = config.PlainAccessConfigs };
            await context.Out.WriteAsync(RaftMq.Protocol.Acl.PlainAclYaml.Write(rules)).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }
}
