using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Registration;

/// <summary>Name server registration log events, ids 2900-2949.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2900, Level = LogLevel.Information,
        Message = "Registering with name server(s) {NameServers} every {PeriodMs} ms")]
    public static partial void Started(ILogger logger, string nameServers, long periodMs);

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Registration with name servers stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Information,
        Message = "Registered with name server {NameServer} as {BrokerName} id {BrokerId} at {Address} ({TopicCount} topics, version {Counter})")]
    public static partial void Registered(ILogger logger, string nameServer, string brokerName, long brokerId, string address, int topicCount, long counter);

    [LoggerMessage(EventId = 2903, Level = LogLevel.Debug,
        Message = "Re-registered with name server {NameServer} as id {BrokerId}; master is {MasterAddress}")]
    public static partial void Reregistered(ILogger logger, string nameServer, long brokerId, string? masterAddress);

    [LoggerMessage(EventId = 2904, Level = LogLevel.Warning,
        Message = "Registration with name server {NameServer} failed: {Reason}. Retrying every period; further failures are logged at debug level")]
    public static partial void RegistrationFailed(ILogger logger, string nameServer, string reason);

    [LoggerMessage(EventId = 2905, Level = LogLevel.Debug, Message = "Registration with name server {NameServer} failed again ({Failures} in a row): {Reason}")]
    public static partial void RegistrationStillFailing(ILogger logger, string nameServer, int failures, string reason);

    [LoggerMessage(EventId = 2906, Level = LogLevel.Information, Message = "Registration with name server {NameServer} works again after {Failures} failure(s)")]
    public static partial void RegistrationRecovered(ILogger logger, string nameServer, int failures);

    [LoggerMessage(EventId = 2907, Level = LogLevel.Error, Message = "Cannot describe this broker for registration; skipping this round")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2908, Level = LogLevel.Information, Message = "Unregistered {BrokerName} id {BrokerId} at {Address} from name server {NameServer}")]
    public static partial void Unregistered(ILogger logger, string nameServer, string brokerName, long brokerId, string address);

    [LoggerMessage(EventId = 2909, Level = LogLevel.Warning, Message = "Unregistering from name server {NameServer} failed (it drops us when our connection closes or after the expiry): {Reason}")]
    public static partial void UnregisterFailed(ILogger logger, string nameServer, string reason);
}
