using System.Collections.Concurrent;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Store;

/// <summary>Consumer groups' subscription settings: set and removed by control records, part of checkpoints and snapshots.</summary>
public sealed partial class MessageStateMachine
{
    private readonly ConcurrentDictionary<string, SubscriptionGroupConfig> _subscriptionGroups = new(StringComparer.Ordinal);
    private long _subscriptionGroupVersion;

    public SubscriptionGroupConfig? FindSubscriptionGroup(string group) => _subscriptionGroups.GetValueOrDefault(group);

    public IReadOnlyCollection<SubscriptionGroupConfig> SubscriptionGroups => [.. _subscriptionGroups.Values];

    public long SubscriptionGroupVersion => Interlocked.Read(ref _subscriptionGroupVersion);

    private void ApplySubscriptionGroupUpsert(LogEntry entry, ReadOnlyMemory<byte> payload)
    {
        var config = JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.SubscriptionGroupConfig);
        string? problem = config is null ? "no settings" : config.Problem();
        if (config is null || problem is not null)
        {
            Skip(entry, "subscription group record with unusable settings: " + problem);
            return;
        }
        _subscriptionGroups[config.GroupName] = config;
        Interlocked.Exchange(ref _subscriptionGroupVersion, entry.Index);
    }

    private void ApplySubscriptionGroupDelete(LogEntry entry, ReadOnlyMemory<byte> payload)
    {
        var deleted = JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.SubscriptionGroupDeletePayload);
        if (deleted?.GroupName is null)
        {
            Skip(entry, "subscription group delete without a group name");
            return;
        }
        _subscriptionGroups.TryRemove(deleted.GroupName, out _);
        Interlocked.Exchange(ref _subscriptionGroupVersion, entry.Index);
    }

    private void LoadSubscriptionGroups(IReadOnlyList<SubscriptionGroupConfig>? groups, long version)
    {
        _subscriptionGroups.Clear();
        foreach (var group in groups ?? []) _subscriptionGroups[group.GroupName] = group;
        Interlocked.Exchange(ref _subscriptionGroupVersion, version);
    }

    private List<SubscriptionGroupConfig> SortedSubscriptionGroups()
    {
        var groups = _subscriptionGroups.Values.ToList();
        groups.Sort(static (a, b) => string.CompareOrdinal(a.GroupName, b.GroupName));
        return groups;
    }
}
