namespace RaftMq.Consensus.Tests.Simulation.Storage;

/// <summary>One simulated file: what a read sees now, what survives a power loss, and the writes in between.</summary>
internal sealed class SimFile(DateTime created)
{
    private byte[] _durable = [];
    private List<(long Offset, byte[]? Data, long Length, long Sequence)> _unsynced = new();

    public byte[] Current { get; private set; } = new byte[64];

    /// <summary>What a power loss now would leave of this file for sure.</summary>
    public ReadOnlySpan<byte> Durable => _durable;
    public int Length { get; private set; }
    public DateTime LastWrite { get; private set; } = created;

    public SimFile Clone() => new(LastWrite)
    {
        Current = (byte[])Current.Clone(),
        Length = Length,
        _durable = _durable,
        _unsynced = new List<(long, byte[]?, long, long)>(_unsynced),
    };

    /// <summary>Sequence numbers of the writes not yet fsynced (a crash keeps a prefix in this global order).</summary>
    public IEnumerable<long> UnsyncedSequences => _unsynced.Select(u => u.Sequence);

    public void Write(long offset, byte[] data, DateTime now, long sequence)
    {
        Apply(offset, data, 0);
        _unsynced.Add((offset, data, 0, sequence));
        LastWrite = now;
    }

    public void SetLength(long length, DateTime now, long sequence)
    {
        Apply(0, null, length);
        _unsynced.Add((0, null, length, sequence));
        LastWrite = now;
    }

    /// <summary>The kernel wrote a page of a mapping back before a power loss: it is on the disk (durable) now.</summary>
    public void WriteBack(long offset, byte[] data)
    {
        Apply(offset, data, 0);
        var durable = new byte[Math.Max(_durable.Length, offset + data.Length)];
        _durable.CopyTo(durable, 0);
        data.CopyTo(durable, offset);
        _durable = durable;
    }

    public void Flush()
    {
        _durable = Current.AsSpan(0, Length).ToArray();
        _unsynced.Clear();
    }

    /// <summary>Power loss: the durable image plus the unsynced writes before <paramref name="cut"/> (in the global
    /// order); the write numbered <paramref name="cut"/> survives torn, keeping <paramref name="tornFraction"/> of it.</summary>
    public void LoseUnsynced(long cut, double tornFraction)
    {
        if (_unsynced.Count == 0) return;
        var pending = _unsynced;
        _unsynced = new();
        Current = new byte[Math.Max(64, _durable.Length)];
        _durable.CopyTo(Current, 0);
        Length = _durable.Length;
        foreach (var (offset, data, length, sequence) in pending)
        {
            if (sequence < cut) Apply(offset, data, length);
            else if (sequence == cut && data is { Length: > 1 }) Apply(offset, data[..Math.Max(1, (int)(data.Length * tornFraction))], 0);
        }
        _durable = Current.AsSpan(0, Length).ToArray();
    }

    private void Apply(long offset, byte[]? data, long length)
    {
        if (data is null)
        {
            EnsureCapacity(length);
            if (length > Length) Array.Clear(Current, Length, (int)length - Length);
            Length = (int)length;
            return;
        }
        long end = offset + data.Length;
        EnsureCapacity(end);
        if (offset > Length) Array.Clear(Current, Length, (int)offset - Length);
        data.CopyTo(Current, offset);
        Length = (int)Math.Max(Length, end);
    }

    private void EnsureCapacity(long size)
    {
        if (size <= Current.Length) return;
        var bigger = new byte[Math.Max(size, Current.Length * 2L)];
        Current.AsSpan(0, Length).CopyTo(bigger);
        Current = bigger;
    }
}
