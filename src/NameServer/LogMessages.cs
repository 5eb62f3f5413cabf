using Microsoft.Extensions.Logging;
using RaftMq.NameServer.Routing;

namespace RaftMq.NameServer;

/// <summary>Name server log events, ids 3000-3999.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Name server listening on {Endpoint} (expiry scan every {ScanMs} ms, brokers expire after {ExpiryMs} ms)")]
    public static partial void Started(ILogger logger, string endpoint, long scanMs, long expiryMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Name server on {Endpoint} stopped")]
    public static partial void Stopped(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Ignoring setting {Key} in {Source}: the name server does not use it")]
    public static partial void UnrecognizedKey(ILogger logger, string key, string source);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "Broker {Cluster}/{BrokerName} id {BrokerId} registered at {Address} with {TopicCount} topic(s)")]
    public static partial void BrokerRegistered(ILogger logger, string cluster, string brokerName, long brokerId, string address, int topicCount);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "Broker {Cluster}/{BrokerName} at {Address} removed ({Reason}); broker name gone from routes: {BrokerNameRemoved}")]
    public static partial void BrokerRemoved(ILogger logger, string cluster, string brokerName, string address, BrokerRemovalReason reason, bool brokerNameRemoved);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning,
        Message = "Broker {Cluster}/{BrokerName} at {Address} expired after {ExpiryMs} ms without registering; broker name gone from routes: {BrokerNameRemoved}")]
    public static partial void BrokerExpired(ILogger logger, string cluster, string brokerName, string address, long expiryMs, bool brokerNameRemoved);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Refused registration of broker {Address}: {Reason}")]
    public static partial void RegistrationRefused(ILogger logger, string address, string reason);


    [LoggerMessage(EventId = 3030, Level = LogLevel.Debug, Message = "Remoting {Kind} connection {ConnectionId} {Remote}: {Detail}")]
    public static partial void RemotingEvent(ILogger logger, string kind, long connectionId, string? remote, string detail);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Remoting {Kind} connection {ConnectionId} {Remote}: {Detail}")]
    public static partial void RemotingProblem(ILogger logger, string kind, long connectionId, string? remote, string detail, Exception? exception);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "Accepting a connection failed: {Detail}")]
    public static partial void AcceptFailed(ILogger logger, string detail, Exception? exception);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Topic {Topic} deleted from the routes of cluster {Cluster}: broker group(s) {Brokers}")]
    public static partial void TopicDeleted(ILogger logger, string topic, string cluster, string brokers);

    [LoggerMessage(EventId = 3044, Level = LogLevel.Warning, Message = "Write permission of broker group {BrokerName} {Change} on {Topics} topic(s) by {Address}")]
    public static partial void WritePermChanged(ILogger logger, string brokerName, string change, int topics, string address);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning, Message = "ACL refused request code {Code} from {Address} ({Reason}): {Remark}")]
    public static partial void AclRefused(ILogger logger, int code, string address, string reason, string remark);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Information, Message = "ACL rules loaded from {Path}")]
    public static partial void AclLoaded(ILogger logger, string path);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Error, Message = "ACL file refused, the rules in force stay: {Problem}")]
    public static partial void AclFileRefused(ILogger logger, string problem);
}
