using RaftMq.Cli.Bench;
using RaftMq.Cli.Output;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Progress of long-running verbs: whole lines when redirected, one redrawn line on a terminal.</summary>
public sealed class ProgressLineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void Redirected_progress_writes_a_line_per_interval_and_the_last_state_at_the_end()
    {
        var time = new ManualTime();
        using var output = new StringWriter();
        var progress = new ProgressLine(output, live: false, plainInterval: TimeSpan.FromSeconds(5), time: time);

        progress.Report("queues 1/9");
        time.Advance(TimeSpan.FromSeconds(5));
        progress.Report("queues 2/9");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("queues 3/9");
        time.Advance(TimeSpan.FromSeconds(4));
        progress.Report("queues 4/9");
        progress.Report("queues 9/9");
        progress.Complete();

        Assert.False(progress.IsLive);
        Assert.Equal(["queues 2/9", "queues 4/9", "queues 9/9"], Lines(output));
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void Redirected_progress_of_a_verb_done_within_one_interval_writes_nothing()
    {
        using var output = new StringWriter();
        var progress = new ProgressLine(output, live: false, plainInterval: TimeSpan.FromHours(1));

        progress.Report("queues 1/2");
        progress.Report("queues 2/2");
        progress.Complete();

        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Redirected_progress_without_interval_writes_every_state_as_a_line()
    {
        using var output = new StringWriter();
        var progress = new ProgressLine(output, live: false, plainInterval: TimeSpan.Zero);

        progress.Report("a");
        progress.Report("b");
        progress.Complete();

        Assert.Equal(["a", "b"], Lines(output));
    }

    [Fact]
    public void Redirected_line_that_stays_supersedes_a_state_held_back()
    {
        var time = new ManualTime();
        using var output = new StringWriter();
        var progress = new ProgressLine(output, live: false, plainInterval: TimeSpan.FromSeconds(5), time: time);

        time.Advance(TimeSpan.FromSeconds(5));
        progress.Report("sent 10");
        progress.Report("sent 20");
        progress.WriteLine("phase 1 done: sent 25");
        progress.Complete();

        Assert.Equal(["sent 10", "phase 1 done: sent 25"], Lines(output));
    }

    [Fact]
    public void Terminal_progress_redraws_one_line_in_place_and_clears_it_for_a_line_that_stays()
    {
        var time = new ManualTime();
        using var output = new StringWriter();
        var progress = new ProgressLine(output, live: true, plainInterval: TimeSpan.FromHours(1), width: 12, time: time);

        progress.Report("sent 100000");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("sent 2");
        progress.Report("sent 3 (held back: within 100 ms of the last redraw)");
        progress.WriteLine("done");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("a line longer than the window");
        progress.Complete();

        Assert.True(progress.IsLive);
        Assert.Equal("\rsent 100000\rsent 2     \r      \rdone" + Environment.NewLine + "\ra line long" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Progress_to_a_writer_other_than_the_console_is_plain()
    {
        using var output = new StringWriter();

        Assert.False(ProgressLine.ForOutput(output, TimeSpan.Zero).IsLive);
        Assert.False(ProgressLine.ForError(output, TimeSpan.Zero).IsLive);
    }

    [Fact]
    public async Task Bench_reports_a_plain_line_per_second_with_tps_and_the_total_so_far()
    {
        var counters = new BenchCounters();
        for (int i = 0; i < 42; i++) counters.RecordSuccess(TimeSpan.FromMilliseconds(2));
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var stop = new CancellationTokenSource();
        var reporter = BenchReporter.RunAsync(counters, "Send", synchronized, stop.Token);

        var deadline = DateTime.UtcNow + Deadline;
        while (!HasLine(output, synchronized) && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stop.CancelAsync();
        await reporter;

        string first = Lines(output)[0];
        Assert.StartsWith("Current Time: ", first, StringComparison.Ordinal);
        Assert.Contains("| Send TPS: ", first, StringComparison.Ordinal);
        Assert.Contains("| Send Failed: 0 | Total: 42", first, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', output.ToString());
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = TimeSpan.FromHours(1).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    /// <summary>TextWriter.Synchronized locks the wrapper for each write; reading under the same lock sees whole writes.</summary>
    private static bool HasLine(StringWriter output, TextWriter synchronized)
    {
        lock (synchronized)
        {
            return output.ToString().Contains(Environment.NewLine, StringComparison.Ordinal);
        }
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
