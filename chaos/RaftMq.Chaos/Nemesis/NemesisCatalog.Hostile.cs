using RaftMq.Chaos.Hostile;

namespace RaftMq.Chaos.Nemesis;

public static partial class NemesisCatalog
{
    /// <summary>
    /// Hostile clients against every port of every node and the name server for the fault window (frames of every
    /// malformed kind, slow and idle connections, poison sends, forged registrations and peers). Unlike the other
    /// nemeses it must cost nothing: no loss, no election, memory back afterwards.
    /// </summary>
    private static Nemesis HostileTrafficNemesis() => new(NemesisNames.HostileTraffic, cluster => cluster.Endpoints is not null, (ctx, _) =>
    {
        var endpoints = ctx.Cluster.Endpoints!;
        var traffic = HostileTraffic.Start(endpoints, ctx.Random.Next());
        var targets = endpoints.Nodes.Select(n => n.Node).ToList();
        return Task.FromResult(new NemesisInjection(targets, "every broker, Raft and name server port", null,
            async _ => await traffic.DisposeAsync().ConfigureAwait(false)));
    });

    private static Nemesis IdleNemesis() => new(NemesisNames.Idle, _ => true, (ctx, _) =>
        Task.FromResult(new NemesisInjection([], "nothing (control window)", null, _ => Task.CompletedTask)));
}
