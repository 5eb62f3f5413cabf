using System.Globalization;

namespace RaftMq.Broker.Processors.Delay;

/// <summary>
/// RocketMQ's delay levels (<c>messageDelayLevel</c>): level n (1-based) waits the n-th duration. A message with
/// DELAY = n waits in <c>SCHEDULE_TOPIC_XXXX</c> queue n - 1; a level above the last is clamped to the last.
/// </summary>
public sealed class DelayLevels
{
    public const string DefaultText = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

    private readonly TimeSpan[] _delays;

    private DelayLevels(TimeSpan[] delays) => _delays = delays;

    public static DelayLevels Default { get; } = Parse(DefaultText);

    public int MaxLevel => _delays.Length;

    /// <summary>The wait of <paramref name="level"/> (1..MaxLevel).</summary>
    public TimeSpan DelayOf(int level) => _delays[level - 1];

    /// <summary>The level a DELAY of <paramref name="level"/> (&gt; 0) is stored with.</summary>
    public int Clamp(int level) => Math.Min(level, MaxLevel);

    /// <summary>
    /// The level for a message due in <paramref name="remaining"/> (a delivery time, not a level): the longest delay
    /// that does not pass the due time, else the shortest. The message hops from level to level until it is due, so it
    /// arrives at most one shortest delay late and never early.
    /// </summary>
    public int LevelFor(TimeSpan remaining)
    {
        int best = 0, shortest = 0;
        for (int level = 1; level <= _delays.Length; level++)
        {
            var delay = _delays[level - 1];
            if (delay <= remaining && (best == 0 || delay > _delays[best - 1])) best = level;
            if (shortest == 0 || delay < _delays[shortest - 1]) shortest = level;
        }
        return best != 0 ? best : shortest;
    }

    /// <summary>The level of a message whose properties hold <see cref="Protocol.Messages.MessageProperty.StartDeliverTime"/>
    /// (Unix ms) still in the future at <paramref name="nowMs"/>; 0 when absent, malformed or due.</summary>
    public int LevelForDeliveryTime(ReadOnlySpan<char> deliverAtMs, long nowMs) =>
        long.TryParse(deliverAtMs, NumberStyles.None, CultureInfo.InvariantCulture, out long at) && at > nowMs
            ? LevelFor(TimeSpan.FromMilliseconds(Math.Min(at - nowMs, (long)TimeSpan.MaxValue.TotalMilliseconds)))
            : 0;

    public static int ScheduleQueueOf(int level) => level - 1;

    public static int LevelOf(int scheduleQueueId) => scheduleQueueId + 1;

    /// <summary>Parses "1s 5s 10m 2h 1d" (units s, m, h, d); throws FormatException naming the bad part.</summary>
    public static DelayLevels Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new FormatException("expected at least one delay, e.g. \"1s 5s 10s 1m\"");
        var delays = new TimeSpan[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            TimeSpan unit = part[^1] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => throw new FormatException($"'{part}' has no unit; expected a number followed by s, m, h or d"),
            };
            if (!int.TryParse(part.AsSpan(0, part.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
                throw new FormatException($"'{part}' is not a positive whole number of {part[^1]}");
            delays[i] = unit * count;
        }
        return new DelayLevels(delays);
    }
}
