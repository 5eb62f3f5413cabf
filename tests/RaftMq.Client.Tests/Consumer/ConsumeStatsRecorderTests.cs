using RaftMq.Client.Consumer;

namespace RaftMq.Client.Tests.Consumer;

public sealed class ConsumeStatsRecorderTests
{
    [Fact]
    public void Rates_cover_the_last_minute_and_failures_the_last_hour()
    {
        var clock = new SteppedClock();
        var recorder = new ConsumeStatsRecorder(clock);

        recorder.Pulled("T", 10, TimeSpan.FromMilliseconds(20));
        recorder.Pulled("T", 0, TimeSpan.FromMilliseconds(40));
        recorder.Consumed("T", 4, succeeded: true, TimeSpan.FromMilliseconds(6));
        recorder.Consumed("T", 2, succeeded: false, TimeSpan.FromMilliseconds(2));
        clock.Advance(TimeSpan.FromSeconds(2));
        var now = recorder.Status("T");
        clock.Advance(TimeSpan.FromMinutes(5));
        var later = recorder.Status("T");

        Assert.Equal(30, now.PullRT, 3);
        Assert.Equal(5, now.PullTPS, 3);
        Assert.Equal(4, now.ConsumeRT, 3);
        Assert.Equal(2, now.ConsumeOKTPS, 3);
        Assert.Equal(1, now.ConsumeFailedTPS, 3);
        Assert.Equal(2, now.ConsumeFailedMsgs);
        Assert.Equal(0, later.ConsumeOKTPS);
        Assert.Equal(0, later.PullRT);
        Assert.Equal(2, later.ConsumeFailedMsgs);
    }

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
