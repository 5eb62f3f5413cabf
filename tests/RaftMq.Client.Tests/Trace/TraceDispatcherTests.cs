using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Trace;

namespace RaftMq.Client.Tests.Trace;

/// <summary>The asynchronous trace writer: batches, keys by message id, bounded (drops, never blocks), never throws.</summary>
public sealed class TraceDispatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Dispose waits this long for the buffered records, so a slow machine cannot cut the flush short.</summary>
    private static readonly TimeSpan Flush = TimeSpan.FromSeconds(60);

    private static TraceRecord Pub(int i, string? keys = null) => new()
    {
        Type = TraceType.Pub, Timestamp = 1, GroupName = "PG", Topic = "T", MsgId = $"M{i}", Keys = keys, StoreHost = "b:1", Success = true,
    };

    private sealed class RecordingWriter
    {
        public ConcurrentQueue<(string Body, IReadOnlyCollection<string> Keys)> Messages { get; } = new();

        public Task WriteAsync(string body, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
        {
            Messages.Enqueue((body, keys.ToArray()));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Records_are_written_in_batches_of_at_most_the_batch_size_keyed_by_message_id_and_keys()
    {
        var writer = new RecordingWriter();
        var dispatcher = new TraceDispatcher(writer.WriteAsync, new TraceDispatcherSettings { MaxRecordsPerMessage = 10, FlushTimeout = Flush }, NullLogger.Instance);
        for (int i = 0; i < 35; i++) Assert.True(dispatcher.Append(Pub(i, i == 7 ? "order-7" : null)));

        await dispatcher.DisposeAsync();

        var decoded = writer.Messages.Select(m => (Records: TraceDataCodec.Decode(m.Body), m.Keys)).ToList();
        Assert.All(decoded, m => Assert.InRange(m.Records.Count, 1, 10));
        Assert.Equal(Enumerable.Range(0, 35).Select(i => $"M{i}"), decoded.SelectMany(m => m.Records).Select(r => r.MsgId));
        Assert.All(decoded, m => Assert.Equal(
            m.Records.Select(r => r.MsgId!).Concat(m.Records.Any(r => r.MsgId == "M7") ? ["order-7"] : []).Order(StringComparer.Ordinal),
            m.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(new TraceStatistics(35, 0, 35, 0), dispatcher.Statistics);
    }

    [Fact]
    public async Task A_long_batch_is_cut_into_messages_below_the_body_limit()
    {
        var writer = new RecordingWriter();
        var dispatcher = new TraceDispatcher(writer.WriteAsync, new TraceDispatcherSettings { MaxBodyChars = 200, FlushTimeout = Flush }, NullLogger.Instance);
        for (int i = 0; i < 20; i++) dispatcher.Append(Pub(i));

        await dispatcher.DisposeAsync();

        Assert.True(writer.Messages.Count > 1);
        // A message is cut right after the record that reached the limit, so it is at most one record longer.
        int recordLength = TraceDataCodec.Encode([Pub(10)]).Length;
        Assert.All(writer.Messages, m => Assert.True(m.Body.Length < 200 + recordLength, $"{m.Body.Length} chars"));
        Assert.Equal(20, writer.Messages.Sum(m => TraceDataCodec.Decode(m.Body).Count));
    }

    [Fact]
    public async Task A_batch_that_does_not_fill_is_written_once_its_first_record_is_the_batch_age_old()
    {
        var writer = new RecordingWriter();
        var dispatcher = new TraceDispatcher(writer.WriteAsync,
            new TraceDispatcherSettings { MaxBatchAge = TimeSpan.FromMilliseconds(50), FlushTimeout = Flush }, NullLogger.Instance);
        for (int i = 0; i < 3; i++) dispatcher.Append(Pub(i));

        await WaitUntilAsync(() => dispatcher.Statistics.Written == 3); // no dispose: the age alone sends it

        Assert.Equal(["M0", "M1", "M2"], writer.Messages.SelectMany(m => TraceDataCodec.Decode(m.Body)).Select(r => r.MsgId));
        await dispatcher.DisposeAsync();
    }

    [Fact]
    public async Task A_message_is_cut_once_its_keys_reach_the_keys_limit()
    {
        var writer = new RecordingWriter();
        var dispatcher = new TraceDispatcher(writer.WriteAsync, new TraceDispatcherSettings { MaxKeysChars = 30, FlushTimeout = Flush }, NullLogger.Instance);
        for (int i = 0; i < 20; i++) dispatcher.Append(Pub(i, $"order-{i:D4}"));

        await dispatcher.DisposeAsync();

        // "M1 order-0001 " is 14 characters: a message is cut at the record whose keys reach 30, its third.
        Assert.All(writer.Messages, m => Assert.InRange(m.Keys.Count, 2, 6));
        Assert.Equal(20, writer.Messages.Sum(m => TraceDataCodec.Decode(m.Body).Count));
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_records_without_blocking_the_caller()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        var dispatcher = new TraceDispatcher(async (_, _, _) =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
        }, new TraceDispatcherSettings { BufferCapacity = 4, MaxRecordsPerMessage = 1, MaxConcurrentWrites = 1, FlushTimeout = Flush }, NullLogger.Instance);
        Assert.True(dispatcher.Append(Pub(0)));
        await WaitUntilAsync(() => Volatile.Read(ref started) == 1); // the writer holds record 0; the loop then fills its next batch

        var accepted = Enumerable.Range(1, 50).Select(i => dispatcher.Append(Pub(i))).ToList();

        Assert.Contains(false, accepted);
        var statistics = dispatcher.Statistics;
        Assert.Equal(50 - accepted.Count(a => a), statistics.Dropped);
        Assert.InRange(accepted.Count(a => a), 4, 5); // the buffer, plus at most the one record the loop took into its batch
        release.SetResult();
        await dispatcher.DisposeAsync();
        Assert.Equal(statistics.Appended, dispatcher.Statistics.Written);
    }

    [Fact]
    public async Task A_failing_writer_loses_its_records_counts_them_and_never_throws_to_the_caller()
    {
        var dispatcher = new TraceDispatcher((_, _, _) => throw new MQClientException("broker gone"),
            new TraceDispatcherSettings { MaxRecordsPerMessage = 3, FlushTimeout = Flush }, NullLogger.Instance);
        for (int i = 0; i < 7; i++) Assert.True(dispatcher.Append(Pub(i)));

        await dispatcher.DisposeAsync();

        Assert.Equal(new TraceStatistics(7, 0, 0, 7), dispatcher.Statistics);
        Assert.False(dispatcher.Append(Pub(8)), "a disposed dispatcher accepts nothing");
    }

    [Fact]
    public async Task Dispose_gives_up_on_a_hanging_writer_after_the_flush_timeout()
    {
        var dispatcher = new TraceDispatcher((_, _, token) => Task.Delay(Timeout.Infinite, token),
            new TraceDispatcherSettings { FlushTimeout = TimeSpan.FromMilliseconds(200) }, NullLogger.Instance);
        dispatcher.Append(Pub(0));

        await dispatcher.DisposeAsync().AsTask().WaitAsync(Deadline);

        await WaitUntilAsync(() => dispatcher.Statistics.Failed == 1); // cancelled at the end of dispose: counted as lost
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition()) await Task.Delay(5, deadline.Token);
    }
}
