using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using RaftMq.Foundation.Networking;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// Client-side message ids (UNIQ_KEY, §9) in the layout of Java's MessageClientIDSetter: upper-case hex of
/// <c>client IPv4 (4) | pid low 16 bits (2) | instance hash (4) | ms since the start of the month (4) | counter (2)</c>.
/// Months are UTC (Java uses the local zone; only uniqueness matters). Thread-safe.
/// </summary>
public sealed class UniqueMessageIdGenerator
{
    public const int Length = 32;

    private readonly byte[] _prefix = new byte[10];
    private readonly TimeProvider _time;
    private readonly Lock _monthLock = new();
    private long _monthStart;
    private long _nextMonthStart;
    private int _counter;

    public UniqueMessageIdGenerator(IPAddress clientAddress, int processId, int instanceHash, TimeProvider? timeProvider = null)
    {
        if (clientAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("UNIQ_KEY ids are generated for IPv4 client addresses.", nameof(clientAddress));
        }
        clientAddress.TryWriteBytes(_prefix, out _);
        BinaryPrimitives.WriteInt16BigEndian(_prefix.AsSpan(4), (short)processId);
        BinaryPrimitives.WriteInt32BigEndian(_prefix.AsSpan(6), instanceHash);
        _time = timeProvider ?? TimeProvider.System;
        SetMonth(_time.GetUtcNow());
    }

    /// <summary>A generator for this process: first non-loopback IPv4 address (else 127.0.0.1), real pid, random hash.</summary>
    public static UniqueMessageIdGenerator CreateDefault() =>
        new(LocalAddress.FirstNonLoopbackIPv4(), Environment.ProcessId, Random.Shared.Next());

    public string Next() => string.Create(Length, this, static (chars, self) => self.Next(chars));

    /// <summary>Writes the next id into <paramref name="destination"/> (32 chars) without allocating.</summary>
    public void Next(Span<char> destination)
    {
        var now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs >= Volatile.Read(ref _nextMonthStart)) SetMonth(now);
        Span<byte> bytes = stackalloc byte[16];
        _prefix.CopyTo(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes[10..], (int)Math.Max(0, nowMs - Volatile.Read(ref _monthStart)));
        BinaryPrimitives.WriteInt16BigEndian(bytes[14..], (short)Interlocked.Increment(ref _counter));
        Convert.TryToHexString(bytes, destination, out _);
    }

    /// <summary>The client address embedded in a UNIQ_KEY id, or null if the id is not one.</summary>
    public static IPAddress? TryGetClientAddress(ReadOnlySpan<char> id)
    {
        if (id.Length != Length) return null;
        Span<byte> bytes = stackalloc byte[16];
        if (Convert.FromHexString(id, bytes, out _, out _) != System.Buffers.OperationStatus.Done) return null;
        return new IPAddress(bytes[..4]);
    }

    private void SetMonth(DateTimeOffset now)
    {
        lock (_monthLock)
        {
            var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            Volatile.Write(ref _monthStart, start.ToUnixTimeMilliseconds());
            Volatile.Write(ref _nextMonthStart, start.AddMonths(1).ToUnixTimeMilliseconds());
        }
    }
}
