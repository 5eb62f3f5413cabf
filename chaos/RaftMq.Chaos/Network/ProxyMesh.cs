using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RaftMq.Chaos.Network;

/// <summary>A group member as the mesh sees it: its id and its real DLedger (Raft) port.</summary>
public sealed record MeshNode(string Id, int RaftPort);

/// <summary>
/// One <see cref="FaultProxy"/> per directed pair: node i dials node j through proxy(i-&gt;j), configured with
/// the node's <c>raftPeerDialOverrides</c> (see <see cref="DialOverrides"/>). Cutting link i-&gt;j stops what
/// i sends to j over connections i opened; connections j opened to i go through proxy(j-&gt;i), so a plan
/// cuts both directions of a pair to silence it fully.
/// </summary>
public sealed class ProxyMesh : IAsyncDisposable
{
    private readonly Dictionary<Link, FaultProxy> _proxies;
    private readonly ILogger _logger;

    private ProxyMesh(IReadOnlyList<string> nodes, Dictionary<Link, FaultProxy> proxies, ILogger logger)
    {
        Nodes = nodes;
        _proxies = proxies;
        _logger = logger;
    }

    public IReadOnlyList<string> Nodes { get; }

    public PartitionPlan Current { get; private set; } = PartitionPlan.None;

    /// <summary>Starts all proxies. <paramref name="proxyPort"/> gives the listen port of (from, to); 0 = any.</summary>
    public static ProxyMesh Start(IReadOnlyList<MeshNode> nodes, Func<string, string, int> proxyPort, ILogger? logger = null)
    {
        var proxies = new Dictionary<Link, FaultProxy>();
        try
        {
            foreach (var from in nodes)
            {
                foreach (var to in nodes.Where(n => n.Id != from.Id))
                {
                    var link = new Link(from.Id, to.Id);
                    proxies[link] = FaultProxy.Start(link.ToString(), proxyPort(from.Id, to.Id), to.RaftPort, logger);
                }
            }
        }
        catch
        {
            foreach (var proxy in proxies.Values)
            {
                proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        return new ProxyMesh([.. nodes.Select(n => n.Id)], proxies, logger ?? NullLogger.Instance);
    }

    public FaultProxy Proxy(string from, string to) => _proxies[new Link(from, to)];

    /// <summary>The <c>raftPeerDialOverrides</c> value for a node: every peer's id with its proxy port.</summary>
    public string DialOverrides(string from) => string.Join(";",
        Nodes.Where(n => n != from).Select(to => $"{to}-127.0.0.1:{Proxy(from, to).Port}"));

    /// <summary>Cuts the plan's links (blackhole or refuse) and lets every other link pass.</summary>
    public void Apply(PartitionPlan plan, ProxyMode cutMode = ProxyMode.Blackhole)
    {
        if (cutMode == ProxyMode.Pass)
        {
            throw new ArgumentException("a cut must blackhole or refuse", nameof(cutMode));
        }

        foreach (var (link, proxy) in _proxies)
        {
            proxy.SetMode(plan.Cuts.Contains(link) ? cutMode : ProxyMode.Pass);
        }

        Current = plan;
        NetworkLog.PartitionApplied(_logger, plan.Description);
    }

    public void Heal()
    {
        foreach (var proxy in _proxies.Values)
        {
            proxy.SetMode(ProxyMode.Pass);
        }

        Current = PartitionPlan.None;
        NetworkLog.Healed(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
