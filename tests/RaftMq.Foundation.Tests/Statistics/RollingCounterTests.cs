using RaftMq.Foundation.Statistics;

namespace RaftMq.Foundation.Tests.Statistics;

public sealed class RollingCounterTests
{
    private const long Start = 1_700_000_000_000;

    [Fact]
    public void Totals_count_what_was_added_within_the_window_and_its_rate()
    {
        var minute = RollingCounter.LastMinute();
        minute.Add(Start, 10, 1);
        minute.Add(Start + 5_000, 20, 1);

        var totals = minute.Totals(Start + 10_000);

        Assert.Equal(30, totals.Events);
        Assert.Equal(2, totals.Value);
        Assert.Equal(10.0, totals.Seconds);
        Assert.Equal(3.0, totals.EventsPerSecond);
        Assert.Equal(2.0 / 30, minute.AverageValue(Start + 10_000), 6);
    }

    [Fact]
    public void Events_older_than_the_window_leave_it_sample_by_sample()
    {
        var minute = RollingCounter.LastMinute();
        minute.Add(Start, 100, 1);
        minute.Add(Start + 30_000, 5, 1);
        minute.Add(Start + 61_000, 7, 1);

        Assert.Equal(112, minute.Events(Start + 75_000)); // no sample is a minute old yet but the first one
        Assert.Equal(12, minute.Events(Start + 95_000)); // the sample at 30 s is: the first 100 left the window
    }

    [Fact]
    public void Everything_reads_zero_once_the_last_event_is_a_window_back()
    {
        var hour = RollingCounter.LastHour();
        hour.Add(Start, 42, 3);

        var later = hour.Totals(Start + (long)TimeSpan.FromHours(1).TotalMilliseconds);

        Assert.Equal((0L, 0.0, 0.0), (later.Events, later.Value, later.EventsPerSecond));
        Assert.Equal(0, hour.AverageValue(Start + (long)TimeSpan.FromHours(2).TotalMilliseconds));
    }

    [Fact]
    public void A_first_burst_is_spread_over_at_least_one_second()
    {
        var day = RollingCounter.LastDay();
        day.Add(Start, 500, 1);

        Assert.Equal(500.0, day.PerSecond(Start + 10));
        Assert.Equal(500, day.Totals(Start + 10).Events);
    }
}
