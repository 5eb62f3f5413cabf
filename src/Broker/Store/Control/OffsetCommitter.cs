using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Background;

namespace RaftMq.Broker.Store.Control;

/// <summary>
/// Writes consumer offsets changed on the leader to the log, coalesced: at most one ConsumerOffsets control entry
/// per interval with every offset changed since the previous one. A proposal whose outcome is not known
/// (busy, timeout) is retried next interval with the same values, which is harmless: offsets are absolute.
/// </summary>
internal sealed class OffsetCommitter : IAsyncDisposable
{
    private readonly ConsumerOffsetTable _pending;
    private readonly Func<IReadOnlyList<ConsumerOffsetRecord>, CancellationToken, ValueTask<StoreStatus>> _propose;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private BackgroundLoop? _loop;

    public OffsetCommitter(
        ConsumerOffsetTable pending,
        Func<IReadOnlyList<ConsumerOffsetRecord>, CancellationToken, ValueTask<StoreStatus>> propose,
        TimeProvider timeProvider,
        TimeSpan interval,
        ILogger logger)
    {
        _pending = pending;
        _propose = propose;
        _timeProvider = timeProvider;
        _interval = interval;
        _logger = logger;
    }

    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("The offset committer is already running.");
        _loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "consumer offset commit", Period = _interval, TimeProvider = _timeProvider },
            async stopping => await CommitPendingAsync(stopping).ConfigureAwait(false),
            _logger);
    }

    /// <summary>Stops the loop after a last commit of whatever is pending.</summary>
    public async Task StopAsync()
    {
        if (_loop is null) return;
        await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
        try
        {
            await CommitPendingAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _logger.OffsetCommitFailed(exception); // stopping must not fail because the log went away first
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Proposes one entry with everything pending; returns the status (Ok when nothing was pending).</summary>
    public async ValueTask<StoreStatus> CommitPendingAsync(CancellationToken cancellationToken)
    {
        var changed = _pending.Drain();
        if (changed.Count == 0) return StoreStatus.Ok;
        StoreStatus status;
        try
        {
            status = await _propose(changed, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            status = StoreStatus.Unknown;
        }
        if (status is StoreStatus.Busy or StoreStatus.Unknown) _pending.Restore(changed);
        if (status != StoreStatus.Ok) _logger.OffsetCommitNotWritten(changed.Count, status);
        return status;
    }
}
