using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Foundation.Background;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>
/// Holds pulls that found nothing new (PULL_NOT_FOUND with the SUSPEND flag) and answers each one exactly once:
/// when the store reports new messages in its queue, when its deadline passes (checked every
/// <see cref="ProcessorOptions.LongPollingCheckInterval"/>), when this node's role changes, or at stop. Answering
/// re-runs the pull without the right to park again. The number of parked pulls is bounded.
/// </summary>
public sealed class LongPollingService : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Topic, int QueueId), List<ParkedPull>> _parked = [];
    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;
    private readonly RuntimeSettings _runtime;
    private readonly TimeProvider _time;
    private readonly Func<ParkedPull, RemotingCommand?> _rerun;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private BackgroundLoop? _loop;
    private int _count;

    public LongPollingService(IMessageStore store, ProcessorOptions options, RuntimeSettings runtime, TimeProvider time,
        Func<ParkedPull, RemotingCommand?> rerun, ILogger logger)
    {
        _store = store;
        _options = options;
        _runtime = runtime;
        _time = time;
        _rerun = rerun;
        _logger = logger;
    }

    /// <summary>Pulls parked right now.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Start()
    {
        _store.MessagesArrived += OnMessagesArrived;
        _store.RoleChanged += OnRoleChanged;
        _loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "long-polling check", Period = _options.LongPollingCheckInterval, TimeProvider = _time },
            _ =>
            {
                CheckOnce();
                return Task.CompletedTask;
            },
            _logger,
            _stopping.Token);
    }

    /// <summary>Parks a pull; false when the bound is reached or the wait would be empty (answer at once then).</summary>
    public bool TryPark(RemotingContext context, RemotingCommand request, string topic, int queueId, long queueOffset, long suspendMillis)
    {
        if (suspendMillis <= 0 || _stopping.IsCancellationRequested) return false;
        var wait = TimeSpan.FromMilliseconds(Math.Min(suspendMillis, (long)_runtime.LongPollingMaxSuspend.TotalMilliseconds));
        var parked = new ParkedPull(context, request, topic, queueId, queueOffset, _time.GetUtcNow() + wait);
        lock (_gate)
        {
            if (_count >= _runtime.LongPollingMaxParked) return false;
            if (!_parked.TryGetValue((topic, queueId), out var list))
            {
                list = [];
                _parked[(topic, queueId)] = list;
            }
            list.Add(parked);
            _count++;
        }
        // A message may have landed between the pull's read and the park: look once more.
        if (_store.GetMaxOffset(topic, queueId) > queueOffset) Release(topic, queueId, p => p == parked);
        return true;
    }

    /// <summary>Answers every parked pull of one queue whose offset the new max offset passed.</summary>
    public void OnMessagesArrived(string topic, int queueId, long maxOffset) =>
        Release(topic, queueId, parked => maxOffset > parked.QueueOffset);

    /// <summary>Answers every parked pull (role change, stop): consumers re-pull and find the new situation.</summary>
    public void WakeAll()
    {
        List<ParkedPull> woken;
        lock (_gate)
        {
            woken = [.. _parked.Values.SelectMany(list => list)];
            _parked.Clear();
            _count = 0;
        }
        foreach (var parked in woken) Schedule(parked);
    }

    /// <summary>One deadline pass: answers pulls that timed out, whose queue grew, or whose connection closed.</summary>
    public void CheckOnce()
    {
        var now = _time.GetUtcNow();
        List<(string Topic, int QueueId)> queues;
        lock (_gate) queues = [.. _parked.Keys];
        foreach (var (topic, queueId) in queues)
        {
            long maxOffset = _store.GetMaxOffset(topic, queueId);
            Release(topic, queueId, parked => parked.Deadline <= now || maxOffset > parked.QueueOffset || !parked.Context.Connection.IsOpen);
        }
    }

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _store.MessagesArrived -= OnMessagesArrived;
        _store.RoleChanged -= OnRoleChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.DisposeAsync().ConfigureAwait(false);
        WakeAll();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnRoleChanged(bool writable) => WakeAll();

    private void Release(string topic, int queueId, Predicate<ParkedPull> due)
    {
        List<ParkedPull>? released = null;
        lock (_gate)
        {
            if (!_parked.TryGetValue((topic, queueId), out var list)) return;
            for (int i = list.Count - 1; i >= 0; i--)
            {
                if (!due(list[i])) continue;
                (released ??= []).Add(list[i]);
                list.RemoveAt(i);
                _count--;
            }
            if (list.Count == 0) _parked.Remove((topic, queueId));
        }
        if (released is null) return;
        foreach (var parked in released) Schedule(parked);
    }

    /// <summary>Answers off the caller's thread: MessagesArrived runs on the store's dispatcher, which must not wait.</summary>
    private void Schedule(ParkedPull parked)
    {
        if (!parked.TryClaim()) return;
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Service.AnswerAsync(state.Parked), (Service: this, Parked: parked), preferLocal: false);
    }

    private async Task AnswerAsync(ParkedPull parked)
    {
        if (!parked.Context.Connection.IsOpen) return;
        try
        {
            var response = _rerun(parked);
            if (response is not null) await parked.Context.RespondAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogMessages.ParkedPullAnswerFailed(_logger, parked.Context.RemoteAddress, ex.Message);
            if (ex is not RemotingException)
            {
                parked.Context.Connection.TrySend(parked.Request.CreateResponse(ResponseCode.SystemError, ex.GetType().Name + ": " + ex.Message));
            }
        }
    }
}
