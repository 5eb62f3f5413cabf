using System.Net.Sockets;
using RaftMq.Cli.Processes;

namespace RaftMq.Cli.LocalCluster;

/// <summary>The local cluster cannot run: a port is taken, a store folder is unsafe to wipe, or a child process
/// exited while it was expected to run (the message then carries its last output).</summary>
public sealed class LocalClusterException(string message) : Exception(message);

/// <summary>
/// Runs a <see cref="ClusterLayout"/> as separate raftmq processes (one name server, one process per broker node),
/// each logging into one folder. Every start waits, with a deadline, until the process accepts connections on its
/// port; a process that exits meanwhile is reported with its last output. Disposing kills whatever still runs.
/// </summary>
public sealed class LocalClusterProcesses(ClusterLayout layout, RaftMqLauncher launcher, string logDirectory, string workingDirectory)
    : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly ChildProcess?[] _brokers = new ChildProcess?[layout.Brokers.Count];
    private ChildProcess? _nameServer;

    public ClusterLayout Layout { get; } = layout;

    public string LogDirectory { get; } = logDirectory;

    public bool IsBrokerRunning(int index) => _brokers[index] is { HasExited: false };

    public int? BrokerProcessId(int index) => _brokers[index]?.Id;

    /// <summary>Fails when something already listens on a port of the layout (another cluster still running).</summary>
    public async Task EnsurePortsFreeAsync(CancellationToken cancellationToken)
    {
        var ports = new List<(int Port, string Owner)> { (Layout.NameServerPort, $"{Path.GetFileName(Layout.NameServerConfPath)} listenPort") };
        foreach (var broker in Layout.Brokers)
        {
            ports.Add((broker.ListenPort, $"{Path.GetFileName(broker.ConfPath)} listenPort"));
            ports.Add((broker.RaftPort, $"{Path.GetFileName(broker.ConfPath)} dLegerPeers ({broker.SelfId})"));
        }
        foreach (var (port, owner) in ports)
        {
            if (await AcceptsConnectionsAsync(port, cancellationToken).ConfigureAwait(false))
                throw new LocalClusterException($"port {port} ({owner}) is already in use; is another raftmq cluster running? Stop it first.");
        }
    }

    /// <summary>Deletes the store folders of every node (a fresh group).</summary>
    public void WipeStores()
    {
        foreach (string directory in Layout.Brokers.SelectMany(broker => broker.StoreDirectories))
        {
            string full = Path.GetFullPath(directory);
            // A conf pointing the store at /, a home folder or the working folder must never wipe it.
            if (IsUnsafeToWipe(full)) throw new LocalClusterException($"refusing to wipe store folder '{full}': choose a dedicated folder in the conf");
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
        }
    }

    public async Task StartNameServerAsync(CancellationToken cancellationToken)
    {
        if (_nameServer is { HasExited: false }) throw new InvalidOperationException("the name server is already running");
        if (_nameServer is not null) await _nameServer.DisposeAsync().ConfigureAwait(false);
        _nameServer = Start("namesrv", ["namesrv", "-c", Layout.NameServerConfPath]);
        await WaitUntilListeningAsync(_nameServer, Layout.NameServerPort, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartBrokerAsync(int index, CancellationToken cancellationToken)
    {
        var broker = Layout.Brokers[index];
        if (_brokers[index] is { HasExited: false }) throw new InvalidOperationException($"{broker.ProcessName} is already running");
        if (_brokers[index] is { } previous) await previous.DisposeAsync().ConfigureAwait(false);
        _brokers[index] = Start(broker.ProcessName, ["broker", "-c", broker.ConfPath]);
        await WaitUntilListeningAsync(_brokers[index]!, broker.ListenPort, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts every broker at once (a group needs a majority before any of them can elect a leader).</summary>
    public Task StartAllBrokersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Layout.Brokers.Select(broker => StartBrokerAsync(broker.Index, cancellationToken)));

    /// <summary>SIGKILL one broker and wait until it is gone.</summary>
    public async Task KillBrokerAsync(int index)
    {
        var process = _brokers[index] ?? throw new InvalidOperationException($"{Layout.Brokers[index].ProcessName} was never started");
        process.Kill();
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>SIGTERM one broker (a leader hands over first) and wait until it exited; SIGKILL after a grace period.</summary>
    public Task StopBrokerAsync(int index) =>
        (_brokers[index] ?? throw new InvalidOperationException($"{Layout.Brokers[index].ProcessName} was never started")).StopAsync(StopGrace);

    /// <summary>SIGTERM to every broker (in parallel), then to the name server; SIGKILL after a grace period.</summary>
    public async Task StopAllAsync()
    {
        await Task.WhenAll(_brokers.Where(broker => broker is not null).Select(broker => broker!.StopAsync(StopGrace))).ConfigureAwait(false);
        if (_nameServer is not null) await _nameServer.StopAsync(StopGrace).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _brokers)
        {
            if (broker is not null) await broker.DisposeAsync().ConfigureAwait(false);
        }
        if (_nameServer is not null) await _nameServer.DisposeAsync().ConfigureAwait(false);
    }

    private ChildProcess Start(string name, string[] arguments) =>
        ChildProcess.Start(launcher, name, [.. arguments, "-l", LogDirectory], workingDirectory, Path.Combine(LogDirectory, name + ".out"));

    private static async Task WaitUntilListeningAsync(ChildProcess process, int port, CancellationToken cancellationToken)
    {
        await Poll.UntilTrueAsync(async token =>
        {
            if (process.HasExited)
            {
                throw new LocalClusterException(
                    $"{process.Name} exited with code {process.ExitCode} while starting (output in {process.OutputPath}):{Environment.NewLine}{process.RecentOutput}");
            }
            return await AcceptsConnectionsAsync(port, token).ConfigureAwait(false);
        }, StartTimeout, TimeSpan.FromMilliseconds(100), $"{process.Name} to listen on port {port}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool IsUnsafeToWipe(string path)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(path);
        string home = Path.TrimEndingDirectorySeparator(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        string current = Path.TrimEndingDirectorySeparator(Environment.CurrentDirectory);
        return trimmed.Length <= 1 || Path.GetPathRoot(trimmed) == trimmed || trimmed == home || trimmed == current
               || current.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
