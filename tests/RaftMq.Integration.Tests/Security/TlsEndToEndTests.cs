using System.Text;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;
using RaftMq.Integration.Tests.EndToEnd;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tls;
using RaftMq.Tests.Tls;

namespace RaftMq.Integration.Tests.Security;

/// <summary>
/// TLS against real processes with ACL on (the secure cluster): Raft peers elect and commit over mutual TLS, the CLI
/// produces and consumes over TLS with ACL keys, an untrusted certificate stops a client, and an enforcing name
/// server refuses a plaintext client with a log line while it keeps serving TLS clients.
/// </summary>
[Collection(SecureClusterCollection.Name)]
public sealed class TlsEndToEndTests(SecureCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = E2ECluster.Deadline;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task InitializeAsync() => await cluster.CreateTopicAsync(SecureCluster.Topic, 2);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Raft_peers_connect_over_mutual_tls_and_commit_a_send()
    {
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = "tls-e2e-producer", InstanceName = "tls-e2e-producer",
            Credentials = SecureCluster.Producer, Tls = cluster.ClientTls,
        });
        await producer.StartAsync();
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                return (await producer.SendAsync(new Message(SecureCluster.Topic, "over-mutual-tls"u8.ToArray()), token)).Status == SendStatus.SendOk;
            }
            catch (MQException)
            {
                return false;
            }
        }, Deadline, PollInterval, "a send to be committed by the group", CancellationToken.None);

        foreach (var node in cluster.Layout.Brokers)
        {
            await Poll.UntilTrueAsync(_ => Task.FromResult(LogLines($"broker-{node.SelfId}").Any(line =>
                    line.Contains("connected from", StringComparison.Ordinal) && line.Contains("(TLS ", StringComparison.Ordinal)
                    && line.Contains("certificate CN=raftmq e2e node", StringComparison.Ordinal))),
                Deadline, PollInterval, $"{node.SelfId} to log a peer link accepted over mutual TLS", CancellationToken.None);
            Assert.DoesNotContain(LogLines($"broker-{node.SelfId}"), line => line.Contains("connected from", StringComparison.Ordinal)
                && line.Contains("(plaintext)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_cli_produces_and_consumes_over_tls_with_acl_keys()
    {
        string[] common = ["-n", cluster.NameServer, "-t", SecureCluster.Topic, "-c", "3", "--tls-ca-file", cluster.CaFile, "-l", Path.Combine(cluster.Root, "logs")];
        var produced = await RaftMqRun.RunAsync(cluster.Root, Deadline * 2, [
            "produce", .. common, "--access-key", SecureCluster.Producer.AccessKey, "--secret-key", SecureCluster.Producer.SecretKey]);
        Assert.True(produced.ExitCode == 0, produced.Output + produced.Error);

        var consumed = await RaftMqRun.RunAsync(cluster.Root, Deadline * 2, [
            "consume", .. common, "-g", SecureCluster.Group, "--timeout", "60s",
            "--access-key", SecureCluster.Consumer.AccessKey, "--secret-key", SecureCluster.Consumer.SecretKey]);
        Assert.True(consumed.ExitCode == 0, consumed.Output + consumed.Error);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_clusters_authority_cannot_connect()
    {
        using var folder = new TestDirectory("tls-untrusted");
        var (stranger, _) = TestCertificates.WritePem(TestCertificates.CreateAuthority("not the cluster's CA"), folder.Path, "stranger");
        await using var admin = new MQAdminClient(new AdminOptions
        {
            NameServerAddresses = [cluster.NameServer], InstanceName = "tls-untrusting", Tls = new ClientTlsOptions { CaFile = stranger },
        });
        await admin.StartAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => admin.GetTopicListAsync());

        Assert.Contains("TLS handshake failed", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enforcing_name_server_refuses_a_plaintext_client_with_a_log_line_and_keeps_serving_tls_clients()
    {
        using var folder = new TestDirectory("tls-enforcing");
        int port = LoopbackPorts.Allocate(1)[0];
        string conf = Path.Combine(folder.Path, "namesrv.conf");
        File.WriteAllLines(conf, [
            $"listenPort={port}", "bindAddress=127.0.0.1", "tlsMode=enforcing",
            $"tls.server.certPath={Path.Combine(cluster.Layout.ConfDirectory, "node.crt")}",
            $"tls.server.keyPath={Path.Combine(cluster.Layout.ConfDirectory, "node.key")}"]);
        string logs = Path.Combine(folder.Path, "logs");
        await using var nameServer = ChildProcess.Start(RaftMqBinary.Launcher, "namesrv", ["namesrv", "-c", conf, "-l", logs], folder.Path,
            Path.Combine(logs, "namesrv.out"));
        string address = $"127.0.0.1:{port}";
        await using var secure = new MQAdminClient(new AdminOptions { NameServerAddresses = [address], InstanceName = "tls-enforcing-secure", Tls = cluster.ClientTls });
        await using var plaintext = new MQAdminClient(new AdminOptions { NameServerAddresses = [address], InstanceName = "tls-enforcing-plain" });
        await secure.StartAsync();
        await plaintext.StartAsync();
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await secure.GetTopicListAsync(token);
                return true;
            }
            catch (MQException)
            {
                return false;
            }
        }, Deadline, PollInterval, "the enforcing name server to answer a TLS client", CancellationToken.None);

        await Assert.ThrowsAnyAsync<MQException>(() => plaintext.GetTopicListAsync());

        await Poll.UntilTrueAsync(_ => Task.FromResult(LogLines("namesrv", logs).Any(line =>
                line.Contains("plaintext connection refused: this server requires TLS (tlsMode=enforcing)", StringComparison.Ordinal))),
            Deadline, PollInterval, "the name server to log the refused plaintext connection", CancellationToken.None);
        Assert.False(nameServer.HasExited);
        await secure.GetTopicListAsync();
    }

    /// <summary>Lines of the log files whose names start with <paramref name="prefix"/> (the cluster's log folder by default).</summary>
    private IEnumerable<string> LogLines(string prefix, string? folder = null) =>
        Directory.GetFiles(folder ?? Path.Combine(cluster.Root, "logs"), prefix + "*", SearchOption.AllDirectories)
            .SelectMany(file => ReadShared(file).Split('\n'));

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
