using Microsoft.Extensions.Logging;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Broker.Clients;

/// <summary>
/// Sends NOTIFY_CONSUMER_IDS_CHANGED (40, oneway) to a group's members so that they rebalance at once instead of on
/// their 20 s timer. Best effort: a full or closed connection is skipped (the client rebalances on its timer).
/// </summary>
public sealed class ConsumerIdsChangeNotifier
{
    private readonly ClientRegistry _registry;
    private readonly ILogger _logger;

    public ConsumerIdsChangeNotifier(ClientRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Notifies every member of <paramref name="group"/> except the connection that caused the change.</summary>
    public void Notify(string group, long exceptConnectionId = 0)
    {
        var channels = _registry.ConsumerChannels(group);
        LogMessages.GroupChanged(_logger, group, channels.Count);
        foreach (var channel in channels)
        {
            if (channel.ConnectionId == exceptConnectionId || channel.Connection is not { IsOpen: true } connection) continue;
            var request = RemotingCommand.CreateRequest(RequestCode.NotifyConsumerIdsChanged);
            new ConsumerGroupRequestHeader { ConsumerGroup = group }.ToExtFields(request.ExtFields);
            request.MarkOneway();
            if (!connection.TrySend(request)) LogMessages.NotifyFailed(_logger, connection.RemoteAddress, group, "write queue full or closed");
        }
    }

    public void NotifyAll(IReadOnlyList<string> groups)
    {
        foreach (var group in groups) Notify(group);
    }
}
