using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Tests.Simulation.Storage;

/// <summary>
/// A simulated memory mapping: a private copy of the file taken when it was mapped. Writes change only the copy; the
/// pages that differ from what the file last received reach it as writes at <see cref="Flush"/> (then fsynced) or at
/// unmapping (unsynced), and at a crash each of them survives or not (<see cref="SimFileSystem"/>). Positional reads of
/// the file see the mapping's changes only after that; the key index never mixes the two on one file.
/// </summary>
internal sealed class SimMappedFile(SimFileSystem fileSystem, string path, byte[] bytes, bool writable) : IMappedFile
{
    /// <summary>Writeback granularity (a page of the page cache).</summary>
    private const int PageSize = 4096;

    private readonly byte[] _written = (byte[])bytes.Clone();
    private bool _disposed;

    public string Path { get; } = path;

    public long Length => bytes.Length;

    public Span<byte> GetSpan(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return bytes.AsSpan(checked((int)offset), length);
    }

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (writable) fileSystem.FlushMapping(this);
    }

    /// <summary>Pages changed since the file last received them (offset, content); they count as received now.</summary>
    public List<(long Offset, byte[] Page)> TakeChangedPages()
    {
        var pages = new List<(long, byte[])>();
        for (int offset = 0; offset < bytes.Length; offset += PageSize)
        {
            int length = Math.Min(PageSize, bytes.Length - offset);
            var page = bytes.AsSpan(offset, length);
            if (page.SequenceEqual(_written.AsSpan(offset, length))) continue;
            page.CopyTo(_written.AsSpan(offset));
            pages.Add((offset, page.ToArray()));
        }
        return pages;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (writable) fileSystem.Unmap(this);
    }
}
