
namespace RaftMq.Integration.Tests.Consensus;

/// <summary>Three RaftNodes as separate OS processes on loopback; the leader is killed with SIGKILL.</summary>
public sealed class MultiProcessFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "raftmq-multiprocess", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, HostProcess> _hosts = new(StringComparer.Ordinal);
    private readonly string[] _ids = ["n0", "n1", "n2"];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        int[] ports = FreePorts(3);
        string peers = string.Join(';', _ids.Select((id, i) => $"{id}-127.0.0.1:{ports[i]}"));
        foreach (string id in _ids)
        {
            File.WriteAllText(ConfPath(id), string.Join('\n',
                "dLegerGroup=RaftNode00", $"dLegerPeers={peers}", $"dLegerSelfId={id}", $"storePathRootDir={_root}",
                "flushDiskType=SYNC_FLUSH", "raftTickMs=50", "raftElectionTicks=10", "mappedFileSizeCommitLog=65536", ""));
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Killing_the_leader_process_elects_a_new_leader_and_no_acknowledged_append_is_lost()
    {
        foreach (string id in _ids) Launch(id);
        var acknowledged = new List<string>();
        var leader = await WaitForLeader(_hosts.Values);
        await AppendThrough(acknowledged, "before", 30);

        leader.Kill();
        var survivors = _hosts.Values.Where(h => h != leader).ToList();
        var newLeader = await WaitForLeader(survivors);
        await AppendThrough(acknowledged, "after", 30);

        Assert.NotEqual(leader.Id, newLeader.Id);
        foreach (var survivor in survivors) await WaitUntilApplied(survivor.Id, acknowledged);
        await leader.DisposeAsync();
        Launch(leader.Id);
        await WaitUntilApplied(leader.Id, acknowledged);
        await AppendThrough(acknowledged, "restarted", 5);
        foreach (string id in _ids) await WaitUntilApplied(id, acknowledged);
        var reference = AppliedPayloads(newLeader.Id);
        foreach (string id in _ids) Assert.Equal(reference, AppliedPayloads(id).Take(reference.Count));
    }

    private void Launch(string id) => _hosts[id] = HostProcess.Start(id, ConfPath(id), AppliedPath(id));

    private string ConfPath(string id) => Path.Combine(_root, $"broker-{id}.conf");

    private string AppliedPath(string id) => Path.Combine(_root, $"applied-{id}.txt");

    /// <summary>Appends through whichever process leads, retrying until acknowledged; records what was acknowledged.</summary>
    private async Task AppendThrough(List<string> acknowledged, string prefix, int count)
    {
        for (int i = 0; i < count; i++)
        {
            string payload = $"{prefix}-{i}";
            var deadline = DateTime.UtcNow + Deadline;
            while (true)
            {
                var leader = await WaitForLeader(_hosts.Values.Where(h => !h.HasExited));
                if (await leader.AppendAsync(payload) == "Committed")
                {
                    acknowledged.Add(payload);
                    break;
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{payload}' was never acknowledged\n{Logs()}");
                await Task.Delay(50);
            }
        }
    }

    private async Task<HostProcess> WaitForLeader(IEnumerable<HostProcess> among)
    {
        var hosts = among.ToList();
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var host in hosts)
            {
                if (await host.StatusAsync() is { Role: "Leader" }) return host;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no leader among {string.Join(", ", hosts.Select(h => h.Id))}\n{Logs()}");
    }

    private async Task WaitUntilApplied(string id, IReadOnlyList<string> payloads)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!payloads.All(AppliedPayloads(id).Contains))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{id} lacks {string.Join(", ", payloads.Except(AppliedPayloads(id)))}\n{Logs()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Payloads of the Normal entries a node applied, in log order (from its file state machine).</summary>
    private List<string> AppliedPayloads(string id)
    {
        string path = AppliedPath(id);
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var payloads = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split('\t');
            if (fields.Length == 4 && fields[2] == "Normal") payloads.Add(fields[3]);
        }
        return payloads;
    }

    private string Logs() => string.Join('\n', _hosts.Values.Select(h => $"--- {h.Id}\n{Tail(h.Log)}"));

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static int[] FreePorts(int count) => [.. RaftMq.Protocol.Remoting.LoopbackPorts.Allocate(count)];

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values) await host.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
