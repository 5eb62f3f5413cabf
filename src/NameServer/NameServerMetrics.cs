using System.Diagnostics.Metrics;
using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer;

/// <summary>Meter "RaftMq.NameServer": open connections, live brokers and topics in the route table.</summary>
internal sealed class NameServerMetrics : IDisposable
{
    public const string MeterName = "RaftMq.NameServer";

    private readonly Meter _meter = new(MeterName);

    public NameServerMetrics(RouteInfoManager routes, RemotingServer server)
    {
        _meter.CreateObservableGauge("raftmq.namesrv.connections", () => server.ConnectionCount, "{connection}",
            "Open connections (brokers and clients) to the name server");
        _meter.CreateObservableGauge("raftmq.namesrv.brokers", () => routes.LiveBrokerCount, "{broker}",
            "Broker addresses registered and not expired");
        _meter.CreateObservableGauge("raftmq.namesrv.topics", () => routes.GetTopicList().Topics.Count, "{topic}",
            "Topics with a route");
    }

    public void Dispose() => _meter.Dispose();
}
