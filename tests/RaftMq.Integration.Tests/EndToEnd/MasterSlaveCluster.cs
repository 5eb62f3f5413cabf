using System.Globalization;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// One group of RocketMQ's classic 2m-2s-sync layout as real raftmq processes: a name server, a SYNC_MASTER
/// (brokerId 0) and its SLAVE (brokerId 1), both with slaveReadEnable, on free loopback ports. Shared by the tests of
/// <see cref="MasterSlaveTests"/>.
/// </summary>
public sealed class MasterSlaveCluster : IAsyncLifetime
{
    public const int MasterIndex = 0;
    public const int SlaveIndex = 1;
    public const string Cluster = "ClassicCluster";
    public const string Group = "broker-a";

    private readonly TestDirectory _root = new("master-slave");
    private readonly IReadOnlyList<string> _extraBrokerLines;
    private LocalClusterProcesses? _processes;
    private MQAdminClient? _admin;

    public MasterSlaveCluster()
        : this([])
    {
    }

    /// <summary>A cluster whose two broker confs end with <paramref name="extraBrokerLines"/> (for a fixture of its own).</summary>
    internal MasterSlaveCluster(IReadOnlyList<string> extraBrokerLines) => _extraBrokerLines = extraBrokerLines;

    public ClusterLayout Layout { get; private set; } = null!;

    public LocalClusterProcesses Processes => _processes ?? throw new InvalidOperationException("cluster not started");

    public MQAdminClient Admin => _admin ?? throw new InvalidOperationException("cluster not started");

    public string NameServer => Layout.NameServerAddress;

    public string MasterAddress => Layout.Brokers[MasterIndex].Address;

    public string SlaveAddress => Layout.Brokers[SlaveIndex].Address;

    public async Task InitializeAsync()
    {
        string conf = Path.Combine(_root.Path, "conf");
        Directory.CreateDirectory(conf);
        var ports = LoopbackPorts.Allocate(5);
        File.WriteAllText(Path.Combine(conf, "namesrv.conf"), Invariant($"listenPort={ports[0]}\nbindAddress=127.0.0.1\n"));
        // Names sort master first. haListenPort is set: listenPort + 1 might not be free.
        File.WriteAllLines(Path.Combine(conf, "broker-0-master.conf"), [.. BrokerLines(0, "SYNC_MASTER", ports[1], ports[2], ports[0]), .. _extraBrokerLines]);
        File.WriteAllLines(Path.Combine(conf, "broker-1-slave.conf"), [.. BrokerLines(1, "SLAVE", ports[3], ports[4], ports[0]), .. _extraBrokerLines]);
        Layout = ClusterLayout.Load(conf);
        _processes = new LocalClusterProcesses(Layout, RaftMqBinary.Launcher, Path.Combine(_root.Path, "logs"), _root.Path);
        using var timeout = new CancellationTokenSource(E2ECluster.Deadline * 2);
        await _processes.StartNameServerAsync(timeout.Token);
        await _processes.StartAllBrokersAsync(timeout.Token);
        _admin = new MQAdminClient(new AdminOptions { NameServerAddresses = [NameServer], InstanceName = "master-slave-admin" });
        await _admin.StartAsync(timeout.Token);
    }

    /// <summary>Sends a POSIX signal (STOP, CONT) to one broker process this fixture started.</summary>
    public async Task SignalAsync(int index, string signal)
    {
        int pid = Processes.BrokerProcessId(index) ?? throw new InvalidOperationException("broker not started");
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
        if (signal != "STOP") return;
        // Delivery is asynchronous: wait until the kernel shows the process stopped (state T in /proc/PID/stat).
        await Poll.UntilTrueAsync(_ => Task.FromResult(ProcessState(pid) == 'T'), E2ECluster.Deadline, TimeSpan.FromMilliseconds(20),
            "the broker to be stopped", CancellationToken.None);
    }

    private static char ProcessState(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        if (_processes is not null)
        {
            for (int i = 0; i < Layout.Brokers.Count; i++)
            {
                if (Processes.IsBrokerRunning(i)) await SignalAsync(i, "CONT"); // a stopped process ignores SIGTERM until continued
            }
            await _processes.StopAllAsync();
            await _processes.DisposeAsync();
        }
        _root.Dispose();
    }

    private List<string> BrokerLines(long brokerId, string role, int listenPort, int haPort, int nameServerPort) =>
    [
        $"brokerClusterName={Cluster}",
        $"brokerName={Group}",
        Invariant($"brokerId={brokerId}"),
        $"brokerRole={role}",
        "flushDiskType=ASYNC_FLUSH",
        "brokerIP1=127.0.0.1",
        "bindAddress=127.0.0.1",
        Invariant($"listenPort={listenPort}"),
        Invariant($"haListenPort={haPort}"),
        Invariant($"namesrvAddr=127.0.0.1:{nameServerPort}"),
        $"storePathRootDir={Path.Combine(_root.Path, "store", role)}",
        "slaveReadEnable=true",
        // Short enough that a frozen slave costs each send little, long enough for a busy box to ship one message.
        "syncFlushTimeout=2000",
        "sendMessageThreadPoolNums=4",
    ];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
