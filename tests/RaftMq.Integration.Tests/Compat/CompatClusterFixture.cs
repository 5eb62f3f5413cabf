using System.Text.Json.Nodes;

namespace RaftMq.Integration.Tests.Compat;

/// <summary>
/// A real RaftMq cluster (name server + 3-node group, each a <c>raftmq</c> process) started by the node
/// compatibility suite's tools/cluster.js, with the interop topics created. Requires node and npm on the PATH.
/// </summary>
public sealed class CompatClusterFixture : IAsyncLifetime
{
    public const string AliOnsToDotnetTopic = "InteropFromAliOns";
    public const string DotnetToAliOnsTopic = "InteropFromDotnet";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private NodeProcess? _cluster;

    /// <summary>"127.0.0.1:port" of the cluster's name server.</summary>
    public string NameServer { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await CompatPaths.EnsureAliOnsInstalledAsync();
        var topics = new JsonArray(
            new JsonObject { ["name"] = AliOnsToDotnetTopic, ["queues"] = 4 },
            new JsonObject { ["name"] = DotnetToAliOnsTopic, ["queues"] = 4 });
        _cluster = NodeProcess.Start("cluster", new JsonObject { ["topics"] = topics },
            new Dictionary<string, string> { ["RAFTMQ_DLL"] = CompatPaths.RaftMqDll });
        var ready = await _cluster.WaitForEventAsync("ready", _ => true, StartTimeout);
        NameServer = (string)ready["nameSrv"]!;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
