using System.Collections.Concurrent;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed partial class FakeMessageStore
{
    private readonly ConcurrentDictionary<string, SubscriptionGroupConfig> _subscriptionGroups = new(StringComparer.Ordinal);
    private long _subscriptionGroupVersion;

    public SubscriptionGroupConfig? FindSubscriptionGroup(string group) => _subscriptionGroups.GetValueOrDefault(group);

    public IReadOnlyCollection<SubscriptionGroupConfig> SubscriptionGroups => [.. _subscriptionGroups.Values];

    public long SubscriptionGroupVersion => Interlocked.Read(ref _subscriptionGroupVersion);

    /// <summary>Applies at once, as a committed record would.</summary>
    public ValueTask<StoreStatus> UpsertSubscriptionGroupAsync(SubscriptionGroupConfig config, CancellationToken cancellationToken = default)
    {
        if (ForcedStatus is { } forced) return ValueTask.FromResult(forced);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        _subscriptionGroups[config.GroupName] = config;
        Interlocked.Increment(ref _subscriptionGroupVersion);
        return ValueTask.FromResult(StoreStatus.Ok);
    }

    public ValueTask<StoreStatus> DeleteSubscriptionGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        if (ForcedStatus is { } forced) return ValueTask.FromResult(forced);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        _subscriptionGroups.TryRemove(group, out _);
        Interlocked.Increment(ref _subscriptionGroupVersion);
        return ValueTask.FromResult(StoreStatus.Ok);
    }
}
