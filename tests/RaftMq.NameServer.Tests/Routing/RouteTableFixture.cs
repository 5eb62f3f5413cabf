using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Bodies;

namespace RaftMq.NameServer.Tests.Routing;

/// <summary>A route table on a manual clock with helpers to register brokers of cluster "C".</summary>
internal sealed class RouteTableFixture
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(120);

    public ManualTimeProvider Clock { get; } = new();

    public RouteInfoManager Routes { get; }

    public RouteTableFixture(TimeSpan masterGapGrace = default) => Routes = new RouteInfoManager(Expiry, Clock, masterGapGrace);

    public BrokerRegistrationResult Register(string brokerName, long brokerId, string address,
        TopicConfigSerializeWrapper? topics = null, long connectionId = 1, string cluster = "C", long raftTerm = 0) =>
        Routes.RegisterBroker(new BrokerRegistrationRequest(cluster, brokerName, address, brokerId, HaAddress(address), topics, connectionId, raftTerm));

    public static string HaAddress(string address) => "ha-" + address;

    /// <summary>A topic table at version <paramref name="counter"/> where every topic has the given queue count.</summary>
    public static TopicConfigSerializeWrapper Topics(long counter, int queues, params string[] names)
    {
        var wrapper = new TopicConfigSerializeWrapper { DataVersion = new DataVersion { Counter = counter, Timestamp = 1000 } };
        foreach (string name in names)
        {
            wrapper.TopicConfigTable[name] = new TopicConfig { Name = name, ReadQueueNums = queues, WriteQueueNums = queues };
        }
        return wrapper;
    }
}
