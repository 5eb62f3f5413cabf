using System.IO.MemoryMappedFiles;

namespace RaftMq.Foundation.Storage;

/// <summary>A whole file mapped with <see cref="MemoryMappedFile"/>; the mapping lives outside the managed heap and is
/// addressed through a pointer acquired once.</summary>
internal sealed unsafe class RealMappedFile : IMappedFile
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private int _disposed;

    private RealMappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        _map = map;
        _view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    public long Length { get; }

    public static RealMappedFile Map(string path, bool writable)
    {
        var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
        var stream = new FileStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        MemoryMappedFile? map = null;
        try
        {
            long length = stream.Length;
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, access, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, access);
            return new RealMappedFile(map, view, length);
        }
        catch
        {
            if (map is null) stream.Dispose();
            else map.Dispose();
            throw;
        }
    }

    public Span<byte> GetSpan(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (offset < 0 || length < 0 || offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + length}) is outside the mapping of {Length} bytes");
        }
        return new Span<byte>(_base + offset, length);
    }

    public void Flush() => _view.Flush();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
