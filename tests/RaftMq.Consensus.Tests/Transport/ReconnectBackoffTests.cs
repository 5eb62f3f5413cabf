using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

public class ReconnectBackoffTests
{
    [Fact]
    public void Delays_grow_to_the_maximum_with_jitter_and_reset_to_the_minimum()
    {
        var min = TimeSpan.FromMilliseconds(50);
        var max = TimeSpan.FromSeconds(1);
        var backoff = new ReconnectBackoff(min, max);
        var ceilings = new[] { 50, 100, 200, 400, 800, 1000, 1000, 1000 };
        foreach (int ceiling in ceilings)
        {
            var delay = backoff.Next();
            Assert.InRange(delay, TimeSpan.FromMilliseconds(ceiling / 2.0), TimeSpan.FromMilliseconds(ceiling));
        }
        backoff.Reset();
        Assert.InRange(backoff.Next(), min / 2, min);
    }

    [Fact]
    public void Repeats_are_held_back_within_the_interval_and_counted()
    {
        var limiter = new RepeatLimiter(TimeSpan.FromHours(1));
        Assert.True(limiter.ShouldLog(out int suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(limiter.ShouldLog(out _));
        Assert.False(limiter.ShouldLog(out _));
        limiter.Reset();
        Assert.True(limiter.ShouldLog(out suppressed));
        Assert.Equal(0, suppressed);

        var immediate = new RepeatLimiter(TimeSpan.Zero);
        Assert.True(immediate.ShouldLog(out _));
        Assert.True(immediate.ShouldLog(out _));
    }
}
