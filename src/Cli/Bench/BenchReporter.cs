using System.Diagnostics;
using System.Globalization;
using RaftMq.Cli.Output;

namespace RaftMq.Cli.Bench;

/// <summary>The benchmark tools' output: a line per second as RocketMQ's benchmarks print it (plus the total so far),
/// redrawn in place on a terminal, and a final summary.</summary>
public static class BenchReporter
{
    /// <summary>Reports once per second until <paramref name="stop"/> is cancelled, then returns; redirected, every
    /// report is a line of its own.</summary>
    public static async Task RunAsync(BenchCounters counters, string verb, TextWriter output, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var progress = ProgressLine.ForOutput(output, plainInterval: TimeSpan.Zero);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long last = Stopwatch.GetTimestamp();
        long failedBefore = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var (count, mean, max) = counters.TakeWindow();
                double seconds = Stopwatch.GetElapsedTime(last).TotalSeconds;
                last = Stopwatch.GetTimestamp();
                long failed = counters.Failed;
                progress.Report(string.Create(CultureInfo.InvariantCulture,
                    $"Current Time: {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} | {verb} TPS: {count / seconds:0} | Max RT(ms): {max.TotalMilliseconds:0.###} | Average RT(ms): {mean.TotalMilliseconds:0.###} | {verb} Failed: {failed - failedBefore} | Total: {counters.Succeeded}"));
                failedBefore = failed;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        progress.Complete();
    }

    public static string Summary(string verb, BenchCounters counters, TimeSpan elapsed, int concurrency, int? messageBytes)
    {
        ArgumentNullException.ThrowIfNull(counters);
        double seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        string size = messageBytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", {bytes} B messages") : "";
        string failure = counters.FirstFailure is { } reason ? Environment.NewLine + "first failure: " + reason : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            {verb} {counters.Succeeded} messages ({counters.Failed} failed) in {seconds:0.0} s with concurrency {concurrency}{size}
            TPS: {counters.Succeeded / seconds:0}
            latency: {counters.Latency.Describe()}{failure}
            """);
    }
}
