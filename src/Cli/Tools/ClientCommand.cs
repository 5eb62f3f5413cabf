using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;
using Microsoft.Extensions.Logging;

namespace RaftMq.Cli.Tools;

/// <summary>A verb that talks to a running cluster through the RaftMq client: <c>-n/--namesrv ADDR</c> as in
/// mqadmin (several addresses separated by ';'), else the NAMESRV_ADDR environment variable, else 127.0.0.1:9876.</summary>
public abstract class ClientCommand : Command
{
    public static readonly OptionSpec NameServerOption =
        OptionSpec.Value("namesrv", "n", "ADDR", "name server host:port, ';' between several (default: $NAMESRV_ADDR or 127.0.0.1:9876)");

    public static readonly OptionSpec AccessKeyOption =
        OptionSpec.Value("access-key", null, "KEY", "plain-ACL access key to sign requests with (default: $RAFTMQ_ACCESS_KEY)");

    public static readonly OptionSpec SecretKeyOption =
        OptionSpec.Value("secret-key", null, "KEY", "plain-ACL secret key (default: $RAFTMQ_SECRET_KEY)");

    public static readonly OptionSpec TraceOption =
        OptionSpec.Flag("trace", null, "message trace on (RocketMQ's enableMsgTrace, -m msgTraceEnable in its tools): trace records go to the trace topic");

    public static readonly OptionSpec TraceTopicOption =
        OptionSpec.Value("trace-topic", null, "TOPIC", "with --trace: trace topic instead of RMQ_SYS_TRACE_TOPIC");

    /// <summary>Message trace switches of the producing and consuming verbs.</summary>
    public static IReadOnlyList<OptionSpec> TraceOptions { get; } = [TraceOption, TraceTopicOption];

    public static readonly OptionSpec TlsOption =
        OptionSpec.Flag("tls", null, "connect over TLS (default: $RAFTMQ_TLS=true); any --tls-* option implies it");

    public static readonly OptionSpec TlsCaFileOption =
        OptionSpec.Value("tls-ca-file", null, "FILE", "PEM authorities that sign the servers' certificates (default: $RAFTMQ_TLS_CA_FILE, else the system store)");

    public static readonly OptionSpec TlsInsecureOption =
        OptionSpec.Flag("tls-insecure-skip-verify", null, "accept any server certificate: TESTS ONLY, no protection from a man in the middle ($RAFTMQ_TLS_INSECURE_SKIP_VERIFY=true)");

    public static readonly OptionSpec TlsCertOption =
        OptionSpec.Value("tls-cert", null, "FILE", "client certificate (PEM) for servers that require one (default: $RAFTMQ_TLS_CERT_FILE)");

    public static readonly OptionSpec TlsKeyOption =
        OptionSpec.Value("tls-key", null, "FILE", "private key (PEM) of --tls-cert (default: $RAFTMQ_TLS_KEY_FILE)");

    /// <summary>Where the cluster is, how to sign in and whether to use TLS: every client verb takes these.</summary>
    public static IReadOnlyList<OptionSpec> ConnectionOptions { get; } =
        [NameServerOption, AccessKeyOption, SecretKeyOption, TlsOption, TlsCaFileOption, TlsInsecureOption, TlsCertOption, TlsKeyOption];

    private const string NameServerVariable = "NAMESRV_ADDR";
    private const string DefaultNameServer = "127.0.0.1:9876";

    /// <summary>The client's log file in the log folder (<c>admin</c>, <c>produce</c>...).</summary>
    protected abstract string LogFileName { get; }

    public static IReadOnlyList<string> NameServers(ParsedArgs args)
    {
        string text = args.Get(NameServerOption.Name) ?? Environment.GetEnvironmentVariable(NameServerVariable) ?? DefaultNameServer;
        var addresses = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0) throw new UsageException("option --namesrv: no address given");
        foreach (string address in addresses)
        {
            int colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                throw new UsageException($"option --namesrv: '{address}' is not host:port");
        }
        return addresses;
    }

    /// <summary>ACL keys from --access-key/--secret-key, else RAFTMQ_ACCESS_KEY/RAFTMQ_SECRET_KEY; null when none are given.</summary>
    public static AclCredentials? Credentials(ParsedArgs args)
    {
        try
        {
            return AclCredentials.Resolve(args.Get(AccessKeyOption.Name), args.Get(SecretKeyOption.Name));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>--trace and --trace-topic: whether to trace, and the customized trace topic (null: RMQ_SYS_TRACE_TOPIC).</summary>
    public static (bool Enabled, string? Topic) Trace(ParsedArgs args)
    {
        string? topic = args.Get(TraceTopicOption.Name);
        if (topic is not null && !args.Has(TraceOption.Name)) throw new UsageException($"--{TraceTopicOption.Name} needs --{TraceOption.Name}");
        return (args.Has(TraceOption.Name), topic);
    }

    /// <summary>One line on what became of the trace records (after the producer or consumer was disposed, so all were flushed).</summary>
    public static string DescribeTrace(RaftMq.Client.Trace.TraceStatistics statistics, string? topic) =>
        $"trace: {statistics.Written} records written to {topic ?? RaftMq.Protocol.Messages.SystemNames.TraceTopic}, " +
        $"{statistics.Dropped} dropped (buffer full), {statistics.Failed} lost in failed writes";

    /// <summary>TLS from --tls and the --tls-* options, each else its RAFTMQ_TLS* variable; null when TLS is off.
    /// Files are checked here, so a wrong path is a usage error naming the option.</summary>
    public static ClientTlsOptions? Tls(ParsedArgs args)
    {
        var options = ClientTlsOptions.Resolve(args.Has(TlsOption.Name), args.Get(TlsCaFileOption.Name), args.Has(TlsInsecureOption.Name),
            args.Get(TlsCertOption.Name), args.Get(TlsKeyOption.Name));
        if (options is null) return null;
        try
        {
            options.Load();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        return options;
    }

    protected ILoggerFactory CreateLoggerFactory(ParsedArgs args, CommandContext context) =>
        CliLogging.CreateFactory(LogSettings.ForTool(context.LogDirectory(args), LogFileName));

    /// <summary>Client instances are shared per instance name; one per verb run keeps tools independent of each other.</summary>
    protected static string InstanceName(string role) =>
        string.Create(CultureInfo.InvariantCulture, $"raftmq-{role}-{Environment.ProcessId}");
}
