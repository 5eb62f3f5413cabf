using System.Text.Json;

namespace RaftMq.Chaos.History;

/// <summary>
/// Appends ops to a JSON-lines file. Safe for concurrent writers: each op is serialized outside the lock
/// and written as one whole line inside it. The buffer is flushed to the OS every
/// <see cref="FlushInterval"/> and at once for fault and note ops, so a harness killed with -9 leaves a
/// readable file whose last line at worst is torn (the reader tolerates that).
/// </summary>
public sealed class HistoryWriter : IHistorySink, IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _stream;
    private readonly Timer _flushTimer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public HistoryWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        Path = path;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _flushTimer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    public string Path { get; }

    public void Append(HistoryOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var line = Serialize(op);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Write(line);
            if (op is FaultOp or NoteOp)
            {
                _stream.Flush();
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _stream.Flush();
            }
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
        }
    }

    /// <summary>One op as a UTF-8 JSON line ending in '\n'.</summary>
    public static byte[] Serialize(HistoryOp op)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(op, HistoryJsonContext.Default.HistoryOp);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
