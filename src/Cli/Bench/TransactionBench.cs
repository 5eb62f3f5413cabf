using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Bench;

/// <summary>
/// <c>raftmq bench produce --transaction SHAPE</c>: W workers each keep one transaction in flight (half message, local
/// decision, END_TRANSACTION). TPS is transactions per second; latency is from the send to the accepted END, or for
/// check-commit from the send to the broker's check that committed it (checks come transactionTimeOut after the send,
/// so that latency measures the check path, not the producer).
/// </summary>
internal static class TransactionBench
{
    /// <summary>The load of one run.</summary>
    public sealed record Load(string Topic, byte[] Body, string? Tags, int Threads, TimeSpan Duration);

    public static async Task<int> RunAsync(ProducerOptions options, ILoggerFactory loggers, TransactionShape shape, Load load, CommandContext context)
    {
        var stats = new BenchCounters();
        var listener = new ShapeListener(shape) { CommittedByCheck = stats.RecordSuccess };
        await using var producer = new TransactionProducer(options, listener, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        stop.CancelAfter(load.Duration);
        long started = Stopwatch.GetTimestamp();
        var reporter = BenchReporter.RunAsync(stats, "Transaction", context.Out, stop.Token);
        await Task.WhenAll(Enumerable.Range(0, load.Threads).Select(_ => Task.Run(() => SendLoopAsync(producer, shape, load, stats, stop.Token))))
            .ConfigureAwait(false);
        await reporter.ConfigureAwait(false);
        if (shape == TransactionShape.CheckCommit) await WaitForChecksAsync(listener, context).ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        await context.Out.WriteLineAsync(BenchReporter.Summary($"transactions ({shape})", stats, elapsed, load.Threads, load.Body.Length))
            .ConfigureAwait(false);
        return stats.Succeeded > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task SendLoopAsync(TransactionProducer producer, TransactionShape shape, Load load, BenchCounters stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long begin = Stopwatch.GetTimestamp();
            try
            {
                var result = await producer.SendMessageInTransactionAsync(new Message(load.Topic, load.Body, load.Tags), begin, CancellationToken.None)
                    .ConfigureAwait(false);
                if (result.EndTransactionError is { } error) stats.RecordFailure(error);
                else if (shape != TransactionShape.CheckCommit) stats.RecordSuccess(Stopwatch.GetElapsedTime(begin));
            }
            catch (MQException e)
            {
                stats.RecordFailure(e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Check-commit transactions count once checked: wait (bounded) for the checks still due.</summary>
    private static async Task WaitForChecksAsync(ShapeListener listener, CommandContext context)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        wait.CancelAfter(TimeSpan.FromMinutes(2));
        while (listener.AwaitingCheck > 0 && !wait.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None).ConfigureAwait(false);
        }
        if (listener.AwaitingCheck > 0) await context.Error.WriteLineAsync($"{listener.AwaitingCheck} transaction(s) never checked").ConfigureAwait(false);
    }
}
