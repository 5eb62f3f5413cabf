using RaftMq.Cli.Processes;
using RaftMq.Cli.Quickstart;
using RaftMq.Integration.Tests.EndToEnd;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.Security;

/// <summary>
/// <c>raftmq quickstart --secure</c> end to end: generated certificates, accounts and confs, a cluster with ACL and
/// TLS enforcing (Raft peers over mutual TLS) that produces and consumes over TLS, refuses a wrong secret, a missing
/// permission and a plaintext client with their remarks, survives a leader kill; then the commands it prints and
/// its dashboard work against the running cluster. Runs next to the plain quickstart test (one after the other).
/// </summary>
[Collection(E2EClusterCollection.Name)]
public sealed class SecureQuickstartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private const string CommandPrefix = "$RAFTMQ ";
    private const int MaxAttempts = 3;

    [Fact]
    public async Task Secure_quickstart_runs_over_tls_with_acl_refuses_what_it_should_and_its_printed_commands_and_dashboard_work()
    {
        using var root = new TestDirectory("secure-quickstart");
        string conf = ClusterConfs.Write(root.Path);
        int dashboardPort = ClusterConfs.FreePort();
        string outputPath = Path.Combine(root.Path, "quickstart.out");
        await using var quickstart = ChildProcess.Start(RaftMqBinary.Launcher, "quickstart",
            ["quickstart", "--secure", "--keep-running", "--dashboard", "--dashboard-port", dashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--conf", conf, "--kills", "1", "--phase", "1s", "-l", Path.Combine(root.Path, "logs")],
            root.Path, outputPath);

        await Poll.UntilTrueAsync(_ =>
        {
            if (quickstart.HasExited) throw new Xunit.Sdk.XunitException($"quickstart exited with {quickstart.ExitCode}:{Environment.NewLine}{Output()}");
            return Task.FromResult(Output().Contains("the cluster keeps running", StringComparison.Ordinal));
        }, Deadline, PollInterval, "the secure quickstart to finish its report", CancellationToken.None);
        string report = Output();

        Assert.Contains("result: PASS", report, StringComparison.Ordinal);
        Assert.Contains("refused as expected, a send signed with a wrong secret key: ", report, StringComparison.Ordinal);
        Assert.Contains("Check signature failed for accessKey=quickstart-app", report, StringComparison.Ordinal);
        Assert.Contains($"refused as expected, a send by quickstart-app to {QuickstartSecurity.PrivateTopic}: ", report, StringComparison.Ordinal);
        Assert.Contains("refused as expected, a plaintext request to the name server: ", report, StringComparison.Ordinal);
        Assert.Contains(RemotingConnection.TlsHint, report, StringComparison.Ordinal);
        Assert.Contains("kill 1/1: SIGKILL leader", report, StringComparison.Ordinal);

        string secure = Path.Combine(root.Path, "store", QuickstartSecurity.FolderName);
        Assert.All(Directory.GetFiles(secure, "*.conf"), path => Assert.Contains("tlsMode = enforcing", File.ReadAllText(path), StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(secure, "plain_acl.yml")), "plain_acl.yml beside the confs");
        Assert.Contains(File.ReadLines(Path.Combine(root.Path, "logs", "broker-n0.log")),
            line => line.Contains("connected from", StringComparison.Ordinal) && line.Contains("(TLS ", StringComparison.Ordinal));

        var clusterList = await RunPrintedAsync(root.Path, report, "admin clusterList ");
        Assert.Contains("LEADER", clusterList.Output, StringComparison.Ordinal);
        var produce = await RunPrintedAsync(root.Path, report, "produce ", "-t QuickstartTopic ");
        Assert.Contains("sent 10 of 10 messages", produce.Output, StringComparison.Ordinal);
        var consume = await RunPrintedAsync(root.Path, report, "consume ");
        Assert.Contains("received 10 messages", consume.Error, StringComparison.Ordinal); // the count goes to stderr
        var refused = await RunPrintedAsync(root.Path, report, "produce ", $"-t {QuickstartSecurity.PrivateTopic} ", expectSuccess: false);
        Assert.NotEqual(0, refused.ExitCode);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string clusterPage = await http.GetStringAsync(new Uri($"http://127.0.0.1:{dashboardPort}/cluster"));
        Assert.Contains("LEADER", clusterPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Not reachable", clusterPage, StringComparison.OrdinalIgnoreCase);

        await quickstart.StopAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, quickstart.ExitCode);

        string Output() => File.Exists(outputPath) ? ReadShared(outputPath) : "";
    }

    /// <summary>Runs the printed command that starts with <paramref name="verb"/> (and contains <paramref name="containing"/>).</summary>
    private static async Task<RaftMqRun.Result> RunPrintedAsync(string workingDirectory, string report, string verb, string? containing = null,
        bool expectSuccess = true)
    {
        string line = report.Split('\n').Select(text => text.Trim()).First(text =>
            text.StartsWith(CommandPrefix + verb, StringComparison.Ordinal) && (containing is null || text.Contains(containing, StringComparison.Ordinal)));
        int comment = line.IndexOf(" #", StringComparison.Ordinal);
        string command = (comment < 0 ? line : line[..comment])[CommandPrefix.Length..];
        // A fresh process's first TLS handshake can outlast the 3 s request timeout on a loaded machine: run it again then.
        RaftMqRun.Result result;
        int attempt = 0;
        do
        {
            result = await RaftMqRun.RunAsync(workingDirectory, TimeSpan.FromMinutes(2), command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        while (result.ExitCode != 0 && ++attempt < MaxAttempts && IsTimeout(result));
        if (expectSuccess) Assert.True(result.ExitCode == 0, $"{command}: exit code {result.ExitCode}{Environment.NewLine}{result.Output}{result.Error}");
        return result;
    }

    private static bool IsTimeout(RaftMqRun.Result result) =>
        (result.Output + result.Error).Contains("timeout", StringComparison.OrdinalIgnoreCase)
        || (result.Output + result.Error).Contains("timed out", StringComparison.OrdinalIgnoreCase);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
