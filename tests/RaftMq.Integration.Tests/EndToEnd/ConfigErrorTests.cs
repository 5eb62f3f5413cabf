namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>A broker or name server with a bad setting must refuse to start with one line naming the key.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class ConfigErrorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("dLegerSelfId", "n7")]
    [InlineData("listenPort", "70000")]
    [InlineData("flushDiskType", "SOMETIMES_FLUSH")]
    [InlineData("dLegerPeers", "n0-127.0.0.1:notaport;n1-127.0.0.1:40912;n2-127.0.0.1:40913")]
    public async Task Broker_with_a_bad_setting_fails_at_start_naming_the_key(string key, string value)
    {
        using var root = new TestDirectory("config");
        string conf = Path.Combine(ClusterConfs.Write(root.Path), "broker-n0.conf");
        ReplaceSetting(conf, key, value);

        var result = await RaftMqRun.RunAsync(root.Path, Deadline, "broker", "-c", conf, "-l", Path.Combine(root.Path, "logs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.Error, StringComparison.Ordinal);
        Assert.Contains(conf, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_whose_store_root_is_a_file_fails_at_start_naming_the_key()
    {
        using var root = new TestDirectory("config");
        string conf = Path.Combine(ClusterConfs.Write(root.Path), "broker-n0.conf");
        string file = Path.Combine(root.Path, "not-a-folder");
        File.WriteAllText(file, "x");
        ReplaceSetting(conf, "storePathRootDir", file);

        var result = await RaftMqRun.RunAsync(root.Path, Deadline, "broker", "-c", conf, "-l", Path.Combine(root.Path, "logs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("storePathRootDir", result.Error, StringComparison.Ordinal);
        Assert.Contains("is a file, not a directory", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Name_server_with_a_bad_port_fails_at_start_naming_the_key()
    {
        using var root = new TestDirectory("config");
        string conf = Path.Combine(ClusterConfs.Write(root.Path), "namesrv.conf");
        ReplaceSetting(conf, "listenPort", "port9876");

        var result = await RaftMqRun.RunAsync(root.Path, Deadline, "namesrv", "-c", conf, "-l", Path.Combine(root.Path, "logs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("listenPort", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_with_tls_on_and_a_missing_certificate_file_fails_at_start_naming_the_key()
    {
        using var root = new TestDirectory("config");
        string conf = Path.Combine(ClusterConfs.Write(root.Path), "broker-n0.conf");
        File.AppendAllLines(conf, ["tlsEnable=true", "tls.server.certPath=no-such-node.crt", "tls.server.keyPath=no-such-node.key"]);

        var result = await RaftMqRun.RunAsync(root.Path, Deadline, "broker", "-c", conf, "-l", Path.Combine(root.Path, "logs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tls.server.certPath", result.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-node.crt does not exist", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broker", "broker-n0.conf")]
    [InlineData("namesrv", "namesrv.conf")]
    public async Task A_taken_listen_port_fails_at_start_naming_the_port_and_its_key(string verb, string confName)
    {
        using var root = new TestDirectory("config");
        string conf = Path.Combine(ClusterConfs.Write(root.Path), confName);
        int port = RaftMq.Protocol.Remoting.LoopbackPorts.Allocate(1)[0];
        ReplaceSetting(conf, "listenPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        holder.Start();
        try
        {
            var result = await RaftMqRun.RunAsync(root.Path, Deadline, verb, "-c", conf, "-l", Path.Combine(root.Path, "logs"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"listenPort", result.Error, StringComparison.Ordinal);
            Assert.Contains($"port {port} is already in use", result.Error, StringComparison.Ordinal);
            Assert.Contains("set listenPort to a free port below 32768", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            holder.Stop();
        }
    }

    [Fact]
    public async Task A_taken_raft_port_fails_at_start_naming_the_port_and_dLegerPeers()
    {
        using var root = new TestDirectory("config");
        var node = RaftMq.Cli.LocalCluster.ClusterLayout.Load(ClusterConfs.Write(root.Path)).Brokers[0];
        var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, node.RaftPort);
        holder.Start();
        try
        {
            var result = await RaftMqRun.RunAsync(root.Path, Deadline, "broker", "-c", node.ConfPath, "-l", Path.Combine(root.Path, "logs"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"dLegerPeers={node.SelfId}-", result.Error, StringComparison.Ordinal);
            Assert.Contains($"the Raft port {node.RaftPort} of {node.SelfId}", result.Error, StringComparison.Ordinal);
            Assert.Contains($"give {node.SelfId} a free port below 32768 in dLegerPeers of every node of the group", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            holder.Stop();
        }
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        using var root = new TestDirectory("usage");

        var result = await RaftMqRun.RunAsync(root.Path, Deadline, "broker", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: raftmq broker", result.Error, StringComparison.Ordinal);
    }

    private static void ReplaceSetting(string path, string key, string value)
    {
        var lines = File.ReadAllLines(path).Where(line => !line.StartsWith(key + "=", StringComparison.Ordinal)).ToList();
        lines.Add($"{key}={value}");
        File.WriteAllLines(path, lines);
    }
}
