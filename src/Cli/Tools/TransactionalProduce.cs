using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Tools;

/// <summary><c>raftmq produce --transaction SHAPE</c>: sends each message in a transaction decided by the shape and prints
/// the send result with the local state; check-commit then waits until the broker's checks committed them all.</summary>
internal static class TransactionalProduce
{
    public static async Task<int> RunAsync(ProducerOptions options, ILoggerFactory loggers, TransactionShape shape, TimeSpan checkWait, int count,
        Func<int, Message> messageAt, CommandContext context)
    {
        var listener = new ShapeListener(shape);
        await using var producer = new TransactionProducer(options, listener, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            try
            {
                var result = await producer.SendMessageInTransactionAsync(messageAt(i), Stopwatch.GetTimestamp(), context.Stopping).ConfigureAwait(false);
                string end = result.EndTransactionError is null ? "" : $", endTransaction failed: {result.EndTransactionError}";
                await context.Out.WriteLineAsync($"{ProduceCommand.Describe(result.SendResult)} localTransactionState={result.LocalTransactionState}{end}")
                    .ConfigureAwait(false);
            }
            catch (MQException e)
            {
                failures++;
                await context.Error.WriteLineAsync($"send {i} failed: {e.Message}").ConfigureAwait(false);
            }
        }
        await context.Out.WriteLineAsync($"sent {count - failures} of {count} transactional messages ({shape})").ConfigureAwait(false);
        if (shape != TransactionShape.CheckCommit || failures == count) return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;

        await context.Out.WriteLineAsync($"waiting up to {checkWait} for the broker to check them (transactionTimeOut, then transactionCheckInterval)")
            .ConfigureAwait(false);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        wait.CancelAfter(checkWait);
        while (listener.AwaitingCheck > 0 && !wait.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None).ConfigureAwait(false);
        }
        await context.Out.WriteLineAsync($"{listener.Checks} check(s) answered; {listener.AwaitingCheck} transaction(s) still unchecked").ConfigureAwait(false);
        return failures == 0 && listener.AwaitingCheck == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
