using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Cli.Processes;

namespace RaftMq.Cli.Quickstart;

/// <summary><c>raftmq quickstart</c>: the README's first command; see <see cref="QuickstartRun"/>.</summary>
public sealed class QuickstartCommand : Command
{
    private const string DefaultConfFolder = "conf/dledger";

    private static readonly OptionSpec ConfOption = OptionSpec.Value("conf", null, "DIR", $"folder with namesrv.conf and broker-*.conf (default: {DefaultConfFolder})");
    private static readonly OptionSpec KillsOption = OptionSpec.Value("kills", null, "N", "leader kills; the killed node restarts and catches up before the next (default 1)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic to create (default QuickstartTopic)");
    private static readonly OptionSpec QueuesOption = OptionSpec.Value("queues", null, "N", "queues of the topic (default 4)");
    private static readonly OptionSpec SizeOption = OptionSpec.Value("size", "s", "BYTES", "message body size (default 128)");
    private static readonly OptionSpec RateOption = OptionSpec.Value("rate", null, "N", "messages per second, all producers together (default 200)");
    private static readonly OptionSpec ProducersOption = OptionSpec.Value("producers", null, "N", "concurrent producer loops (default 2)");
    private static readonly OptionSpec DashboardOption = OptionSpec.Flag("dashboard", null, "also start the web console (keeps the cluster running after the report until Ctrl-C)");
    private static readonly OptionSpec DashboardPortOption = OptionSpec.Value("dashboard-port", null, "PORT", "port of --dashboard (default 8080)");
    private static readonly OptionSpec SecureOption = OptionSpec.Flag("secure", null,
        "plain ACL + TLS (enforcing, mutual TLS between Raft peers): generates certificates, accounts and confs into 'secure' beside the store folders");
    private static readonly OptionSpec KeepRunningOption = OptionSpec.Flag("keep-running", null, "keep the cluster running after the report until Ctrl-C");
    private static readonly OptionSpec PhaseOption = OptionSpec.Value("phase", null, "DURATION", "traffic between two events, e.g. 3s (default 3s)");

    public override string Name => "quickstart";

    public override string Summary => "start a name server + 3-node group, produce/consume, SIGKILL the leader, report losses and failover";

    protected override IReadOnlyList<OptionSpec> VerbOptions =>
        [ConfOption, KillsOption, TopicOption, QueuesOption, SizeOption, RateOption, ProducersOption, PhaseOption, DashboardOption, DashboardPortOption, SecureOption, KeepRunningOption];

    protected override string Notes =>
        "The store folders named in the confs (storePathRootDir) are wiped first. Exit code 1 when an acknowledged message was lost.\n" +
        "example: raftmq quickstart --kills 20   or   raftmq quickstart --dashboard (then open the printed address)\n" +
        "         raftmq quickstart --secure --keep-running (ACL + TLS; prints the commands to use it, docs/security.md)";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        int producers = args.GetInt(ProducersOption.Name, 2, 1, 64);
        var settings = new QuickstartSettings(
            ConfDirectory: FindConfDirectory(args.Get(ConfOption.Name), context),
            LogDirectory: context.LogDirectory(args),
            WorkingDirectory: context.WorkingDirectory,
            Kills: args.GetInt(KillsOption.Name, 1, 1, 1000),
            Topic: args.Get(TopicOption.Name, "QuickstartTopic"),
            Queues: args.GetInt(QueuesOption.Name, 4, 1, 64),
            MessageBytes: args.GetInt(SizeOption.Name, 128, 32, 1024 * 1024),
            Producers: producers,
            RatePerSecond: args.GetInt(RateOption.Name, 200, producers, 100_000),
            Phase: args.GetDuration(PhaseOption.Name, TimeSpan.FromSeconds(3)),
            DashboardPort: args.Has(DashboardOption.Name) ? args.GetInt(DashboardPortOption.Name, Dashboard.DashboardCommand.DefaultPort, 1, 65535) : null,
            Secure: args.Has(SecureOption.Name),
            KeepRunning: args.Has(KeepRunningOption.Name));

        using var loggers = CliLogging.CreateFactory(LogSettings.ForQuietTool(settings.LogDirectory, "quickstart"));
        if (settings.DashboardPort is null && args.Has(DashboardPortOption.Name)) throw new UsageException("option --dashboard-port needs --dashboard");
        var run = new QuickstartRun(settings, RaftMqLauncher.ForCurrentProcess(), loggers, context.Out);
        return await run.RunAsync(context.Stopping).ConfigureAwait(false) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The given folder, else conf/dledger under the working folder, else next to (or above) the binary.</summary>
    private static string FindConfDirectory(string? given, CommandContext context)
    {
        if (given is not null)
        {
            string path = context.ResolvePath(given);
            return Directory.Exists(path) ? path : throw new UsageException($"option --conf = '{given}': no such folder");
        }
        string local = context.ResolvePath(DefaultConfFolder);
        if (Directory.Exists(local)) return local;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, DefaultConfFolder);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new UsageException($"no {DefaultConfFolder} folder here or above {AppContext.BaseDirectory}; run from the repository root or pass --conf");
    }
}
