using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary>An <c>raftmq admin</c> sub-verb: starts an admin client against the name servers, runs, prints.</summary>
public abstract class AdminCommand : ClientCommand
{
    /// <summary><c>--json</c>: machine-readable output instead of the mqadmin-style text.</summary>
    protected static readonly OptionSpec JsonOption = OptionSpec.Flag("json", null, "print JSON (for scripts) instead of text");

    protected override string LogFileName => "admin";

    protected abstract IReadOnlyList<OptionSpec> AdminOptions { get; }

    protected sealed override IReadOnlyList<OptionSpec> VerbOptions => [.. AdminOptions, .. ConnectionOptions];

    public sealed override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var nameServers = NameServers(args);
        Validate(args);
        using var loggers = CreateLoggerFactory(args, context);
        await using var admin = new MQAdminClient(new AdminOptions { NameServerAddresses = nameServers, InstanceName = InstanceName("admin"), Credentials = Credentials(args), Tls = Tls(args) }, loggers);
        await admin.StartAsync(context.Stopping).ConfigureAwait(false);
        return await RunAsync(admin, args, context).ConfigureAwait(false);
    }

    /// <summary>Checks the options before anything connects, so bad input fails fast with usage.</summary>
    protected virtual void Validate(ParsedArgs args)
    {
    }

    protected abstract Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context);
}
