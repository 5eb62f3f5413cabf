using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors;

/// <summary>
/// Topic lookups and creations on behalf of the processors: auto-creation on send from the TBW102 template,
/// retry and DLQ topics of consumer groups, and admin upserts/deletes. Every change goes through the replicated
/// log (<see cref="IMessageStore.UpsertTopicAsync"/>) and raises <see cref="TopicsChanged"/> so the host can
/// re-register with the name servers at once.
/// </summary>
public sealed class TopicManager
{
    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;
    private long _version;

    public TopicManager(IMessageStore store, ProcessorOptions options, ILogger logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised after a topic was created, updated or deleted through this broker.</summary>
    public event Action? TopicsChanged;

    /// <summary>Incremented on every change made here (the DataVersion counter of GET_ALL_TOPIC_CONFIG).</summary>
    public long Version => Interlocked.Read(ref _version);

    public TopicConfig? Find(string topic) => _store.FindTopic(topic);

    /// <summary>
    /// The topic a send goes to: existing, or auto-created with min(<paramref name="requestedQueueNums"/>, template)
    /// queues when <c>autoCreateTopicEnable</c>. Null config means "does not exist" (status says why when it is not Ok).
    /// </summary>
    public async ValueTask<(StoreStatus Status, TopicConfig? Topic)> FindOrCreateForSendAsync(
        string topic, int requestedQueueNums, CancellationToken cancellationToken)
    {
        if (_store.FindTopic(topic) is { } existing) return (StoreStatus.Ok, existing);
        if (!_options.AutoCreateTopicEnable) return (StoreStatus.TopicNotFound, null);
        int template = _store.FindTopic(SystemNames.AutoCreateTopicKeyTopic)?.WriteQueueNums ?? _options.DefaultTopicQueueNums;
        int queues = requestedQueueNums > 0 ? Math.Min(requestedQueueNums, template) : template;
        var config = new TopicConfig(topic, queues, queues);
        var status = await UpsertAsync(config, cancellationToken).ConfigureAwait(false);
        LogMessages.TopicAutoCreated(_logger, topic, queues, status);
        return status == StoreStatus.Ok ? (status, _store.FindTopic(topic) ?? config) : (status, null);
    }

    /// <summary>Creates a group's <c>%RETRY%</c> or <c>%DLQ%</c> topic if it does not exist yet.</summary>
    public async ValueTask<(StoreStatus Status, TopicConfig? Topic)> EnsureGroupTopicAsync(
        string topic, int queueNums, CancellationToken cancellationToken)
    {
        if (_store.FindTopic(topic) is { } existing) return (StoreStatus.Ok, existing);
        var config = new TopicConfig(topic, queueNums, queueNums);
        var status = await UpsertAsync(config, cancellationToken).ConfigureAwait(false);
        LogMessages.TopicAutoCreated(_logger, topic, queueNums, status);
        return status == StoreStatus.Ok ? (status, _store.FindTopic(topic) ?? config) : (status, null);
    }

    public async ValueTask<StoreStatus> UpsertAsync(TopicConfig topic, CancellationToken cancellationToken)
    {
        var status = await _store.UpsertTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        if (status == StoreStatus.Ok) Changed();
        return status;
    }

    public async ValueTask<StoreStatus> DeleteAsync(string topic, CancellationToken cancellationToken)
    {
        var status = await _store.DeleteTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        if (status == StoreStatus.Ok) Changed();
        return status;
    }

    private void Changed()
    {
        Interlocked.Increment(ref _version);
        try
        {
            TopicsChanged?.Invoke();
        }
        catch (Exception ex)
        {
            LogMessages.TopicListenerFailed(_logger, ex);
        }
    }
}
