using Microsoft.Extensions.Logging;

namespace RaftMq.Chaos.Network;

/// <summary>Log events of the fault network (chaos event ids 6100-6199).</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "proxy {Proxy}: {Previous} -> {Mode}")]
    public static partial void ProxyModeChanged(ILogger logger, string proxy, ProxyMode previous, ProxyMode mode);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "partition: {Description}")]
    public static partial void PartitionApplied(ILogger logger, string description);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "network healed")]
    public static partial void Healed(ILogger logger);
}
