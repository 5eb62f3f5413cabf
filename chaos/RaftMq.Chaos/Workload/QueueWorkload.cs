using System.Collections.Concurrent;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Workload;

/// <summary>What a workload did, for the run log.</summary>
public sealed record WorkloadSummary(int Messages, int Acked, int Received, bool FullDrain);

/// <summary>
/// Drives an <see cref="IQueueClient"/> with N producers and M consumers of one group and records every
/// send attempt and delivery in the history. The harness calls <see cref="StartConsumers"/>, runs
/// <see cref="RunProducersAsync"/> alongside the nemesis, heals, then <see cref="DrainAsync"/> and
/// <see cref="StopConsumersAsync"/>; <see cref="RunAsync"/> does all four without faults.
/// </summary>
public sealed partial class QueueWorkload
{
    private readonly IQueueClient _client;
    private readonly IHistorySink _history;
    private readonly HistoryClock _clock;
    private readonly WorkloadOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, byte> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _received = new(StringComparer.Ordinal);
    private readonly List<Task> _consumers = [];
    private CancellationTokenSource? _consumerStop;
    private int _messages;

    public QueueWorkload(IQueueClient client, IHistorySink history, HistoryClock clock, WorkloadOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _client = client;
        _history = history;
        _clock = clock;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public int Acked => _acked.Count;

    public int Received => _received.Count;

    /// <summary>Acked payloads no consumer has received yet (a rolled-back transaction is never expected).</summary>
    public int Missing => _acked.Keys.Count(p => !_received.ContainsKey(p));

    public async Task<WorkloadSummary> RunAsync(CancellationToken cancellationToken)
    {
        StartConsumers();
        try
        {
            await RunProducersAsync(cancellationToken).ConfigureAwait(false);
            var full = await DrainAsync(cancellationToken).ConfigureAwait(false);
            return new WorkloadSummary(_messages, Acked, Received, full);
        }
        finally
        {
            await StopConsumersAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs all producers until the message budget or the duration is used up, or cancellation.</summary>
    public async Task RunProducersAsync(CancellationToken cancellationToken)
    {
        using var timeUp = new CancellationTokenSource(_options.Duration, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeUp.Token);
        var share = _options.MaxMessages / _options.Producers;
        var remainder = _options.MaxMessages % _options.Producers;
        var producers = Enumerable.Range(0, _options.Producers)
            .Select(p => Task.Run(() => ProduceAsync($"p{p}", share + (p < remainder ? 1 : 0), linked.Token), CancellationToken.None));
        await Task.WhenAll(producers).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every acked payload was received or the drain timeout passes, then records the
    /// drain-complete note. Returns whether the drain was full.
    /// </summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (Missing > 0 && _time.GetElapsedTime(started) < _options.DrainTimeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
        }

        var missing = Missing;
        _history.Append(RunNotes.Drained(_clock.NowUs, full: missing == 0, missing));
        return missing == 0;
    }

    /// <summary>One producer: its own keys, one send at a time, round robin over keys, at most <paramref name="budget"/> messages.</summary>
    private async Task ProduceAsync(string producer, int budget, CancellationToken token)
    {
        var keys = Enumerable.Range(0, _options.KeysPerProducer).Select(k => $"{producer}-k{k}").ToArray();
        var seqs = new long[keys.Length];
        for (var n = 0; n < budget && !token.IsCancellationRequested; n++)
        {
            Interlocked.Increment(ref _messages);

            var keyIndex = n % keys.Length;
            var payloadId = $"{producer}-{n}";
            var message = new ChaosMessage(keys[keyIndex], ++seqs[keyIndex], payloadId)
            {
                Transaction = _options.Transactional ? TransactionPlans.For(payloadId) : TransactionPlan.None,
            };
            for (var attempt = 0; attempt <= _options.RetriesAfterFailure; attempt++)
            {
                var outcome = await SendOnceAsync(producer, message, token).ConfigureAwait(false);
                if (outcome == SendOutcome.Acknowledged || token.IsCancellationRequested)
                {
                    break;
                }
            }

            if (_options.SendInterval > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(_options.SendInterval, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
