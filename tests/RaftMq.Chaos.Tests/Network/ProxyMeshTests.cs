using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Tests.Network;

public sealed class ProxyMeshTests
{
    private static ProxyMesh StartMesh() =>
        ProxyMesh.Start([new MeshNode("n0", 40911), new MeshNode("n1", 40912), new MeshNode("n2", 40913)], (_, _) => 0);

    [Fact]
    public async Task Mesh_has_one_proxy_per_directed_pair_targeting_the_peer_raft_port()
    {
        await using var mesh = StartMesh();

        Assert.Equal(40912, mesh.Proxy("n0", "n1").TargetPort);
        Assert.Equal(40911, mesh.Proxy("n2", "n0").TargetPort);
        Assert.NotEqual(mesh.Proxy("n0", "n1").Port, mesh.Proxy("n2", "n1").Port);
    }

    [Fact]
    public async Task Dial_overrides_list_every_peer_with_its_proxy_port()
    {
        await using var mesh = StartMesh();

        var overrides = mesh.DialOverrides("n1");

        Assert.Equal($"n0-127.0.0.1:{mesh.Proxy("n1", "n0").Port};n2-127.0.0.1:{mesh.Proxy("n1", "n2").Port}", overrides);
    }

    [Fact]
    public async Task Apply_cuts_exactly_the_planned_links_and_heal_restores_them()
    {
        await using var mesh = StartMesh();

        mesh.Apply(PartitionPlan.Isolate(mesh.Nodes, "n0"), ProxyMode.Refuse);

        Assert.Equal(ProxyMode.Refuse, mesh.Proxy("n0", "n1").Mode);
        Assert.Equal(ProxyMode.Refuse, mesh.Proxy("n2", "n0").Mode);
        Assert.Equal(ProxyMode.Pass, mesh.Proxy("n1", "n2").Mode);
        Assert.StartsWith("isolate n0", mesh.Current.Description);

        mesh.Heal();

        Assert.All(mesh.Nodes.SelectMany(a => mesh.Nodes.Where(b => b != a).Select(b => mesh.Proxy(a, b))),
            p => Assert.Equal(ProxyMode.Pass, p.Mode));
    }
}
