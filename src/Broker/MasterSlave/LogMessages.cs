using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.MasterSlave;

/// <summary>Classic master/slave log events, ids 2490-2499.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2490, Level = LogLevel.Information,
        Message = "Slave {SelfId} of {BrokerName}: asking the master at {MasterAddress} to add it as a learner at {RaftAddress}")]
    public static partial void Joining(ILogger logger, string selfId, string brokerName, string masterAddress, string raftAddress);

    [LoggerMessage(EventId = 2491, Level = LogLevel.Information,
        Message = "Slave {SelfId} of {BrokerName}: the master answered code {Code} ({Remark}); its Raft port is {MasterRaftAddress}")]
    public static partial void JoinAnswered(ILogger logger, string selfId, string brokerName, int code, string remark, string masterRaftAddress);

    [LoggerMessage(EventId = 2492, Level = LogLevel.Warning,
        Message = "Slave {SelfId} of {BrokerName}: no master registered with the name servers {NameServers} yet; asking again every few seconds")]
    public static partial void MasterUnknown(ILogger logger, string selfId, string brokerName, string nameServers);

    [LoggerMessage(EventId = 2493, Level = LogLevel.Warning, Message = "Slave {SelfId} of {BrokerName}: joining the master at {MasterAddress} failed: {Reason}")]
    public static partial void JoinFailed(ILogger logger, string selfId, string brokerName, string masterAddress, string reason);

    [LoggerMessage(EventId = 2494, Level = LogLevel.Information, Message = "Slave {SelfId} of {BrokerName} replicates from master {MasterId}")]
    public static partial void Replicating(ILogger logger, string selfId, string brokerName, string masterId);
}
