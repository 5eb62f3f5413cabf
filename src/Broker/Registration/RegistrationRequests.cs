using RaftMq.Broker.Hosting;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Registration;

/// <summary>Builds the REGISTER_BROKER and UNREGISTER_BROKER requests a broker sends to a name server.</summary>
internal static class RegistrationRequests
{
    /// <summary>RaftMq's extension field: the registering node's Raft term (RocketMQ name servers ignore it).</summary>
    public const string RaftTermField = "raftTerm";

    public static RemotingCommand Register(BrokerRegistration broker, TopicConfigSerializeWrapper topics)
    {
        byte[] body = ProtocolJson.Encode(new RegisterBrokerBody { TopicConfigSerializeWrapper = topics });
        var request = RemotingCommand.CreateRequest(RequestCode.RegisterBroker);
        new RegisterBrokerRequestHeader
        {
            ClusterName = broker.ClusterName,
            BrokerName = broker.BrokerName,
            BrokerAddr = broker.BrokerAddress,
            // A DLedger group replicates among its members; the header is mandatory, so it announces the broker's own
            // address. A classic master announces its Raft port, where its slaves replicate from.
            HaServerAddr = broker.HaServerAddress ?? broker.BrokerAddress,
            BrokerId = broker.BrokerId,
            Compressed = false,
            BodyCrc32 = Crc32Ieee.BodyCrc(body),
        }.ToExtFields(request.ExtFields);
        if (broker.RaftTerm > 0) request.ExtFields.Set(RaftTermField, broker.RaftTerm.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Body = body;
        return request;
    }

    public static RemotingCommand Unregister(BrokerRegistration broker)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.UnregisterBroker);
        new BrokerIdentityRequestHeader
        {
            ClusterName = broker.ClusterName,
            BrokerName = broker.BrokerName,
            BrokerAddr = broker.BrokerAddress,
            BrokerId = broker.BrokerId,
        }.ToExtFields(request.ExtFields);
        return request;
    }
}
