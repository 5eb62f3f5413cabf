using System.Globalization;
using System.Numerics;

namespace RaftMq.Cli.Bench;

/// <summary>
/// Lock-free latency histogram in microseconds with about 1.5% relative precision (log-linear buckets: 64
/// sub-buckets per power of two), so percentiles of millions of samples cost a fixed 4 KiB array, like HdrHistogram.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Magnitudes = 40;

    private readonly long[] _counts = new long[Magnitudes * SubBuckets];
    private long _total;
    private long _max;
    private long _sum;

    public long Count => Interlocked.Read(ref _total);

    public TimeSpan Max => TimeSpan.FromMicroseconds(Interlocked.Read(ref _max));

    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds((double)Interlocked.Read(ref _sum) / Count);

    public void Record(TimeSpan latency)
    {
        long micros = Math.Max(0, (long)latency.TotalMicroseconds);
        Interlocked.Increment(ref _counts[BucketOf(micros)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, micros);
        long max = Interlocked.Read(ref _max);
        while (micros > max)
        {
            long seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max) break;
            max = seen;
        }
    }

    /// <summary>The latency at or below which <paramref name="percentile"/> percent of the samples fall.</summary>
    public TimeSpan Percentile(double percentile)
    {
        long total = Count;
        if (total == 0) return TimeSpan.Zero;
        long rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100.0));
        long seen = 0;
        for (int bucket = 0; bucket < _counts.Length; bucket++)
        {
            seen += Interlocked.Read(ref _counts[bucket]);
            if (seen >= rank) return TimeSpan.FromMicroseconds(Math.Min(UpperBoundOf(bucket), Interlocked.Read(ref _max)));
        }
        return Max;
    }

    /// <summary>"p50 1.21 ms  p90 ...": the line the benchmarks print.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"avg {Ms(Mean)}  p50 {Ms(Percentile(50))}  p90 {Ms(Percentile(90))}  p99 {Ms(Percentile(99))}  p99.9 {Ms(Percentile(99.9))}  max {Ms(Max)}");

    private static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.000} ms");

    /// <summary>Values below 64 µs get exact buckets; above, each power of two is split into 64 buckets.</summary>
    private static int BucketOf(long micros)
    {
        if (micros < SubBuckets) return (int)micros;
        int shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)micros) - SubBucketBits, Magnitudes - 2);
        long top = Math.Min(micros >> shift, (2 * SubBuckets) - 1);
        return SubBuckets + (shift * SubBuckets) + (int)(top - SubBuckets);
    }

    private static long UpperBoundOf(int bucket)
    {
        if (bucket < SubBuckets) return bucket;
        int shift = (bucket - SubBuckets) / SubBuckets;
        long top = SubBuckets + ((bucket - SubBuckets) % SubBuckets);
        return ((top + 1) << shift) - 1;
    }
}
