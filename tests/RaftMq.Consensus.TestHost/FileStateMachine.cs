using System.Globalization;
using System.Text;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.TestHost;

/// <summary>
/// A trivial durable state machine: every applied entry becomes one line <c>index\tterm\ttype\tpayload</c> in a file,
/// fsynced before Apply returns, so <see cref="AppliedIndex"/> survives kill -9. A torn last line (a crash during a
/// write) is cut off on open. Its snapshot is the whole file.
/// </summary>
internal sealed class FileStateMachine : IStateMachine, IDisposable
{
    private readonly string _path;
    private FileStream _file;

    public FileStateMachine(string path)
    {
        _path = path;
        _file = Open(path, out long applied, out long appliedTerm);
        (AppliedIndex, AppliedTerm) = (applied, appliedTerm);
    }

    public long AppliedIndex { get; private set; }

    public long AppliedTerm { get; private set; }

    public void Reset()
    {
        _file.SetLength(0);
        _file.Flush(flushToDisk: true);
        (AppliedIndex, AppliedTerm) = (0, 0);
    }

    public long Apply(LogEntry entry)
    {
        string payload = entry.Type == EntryType.Normal ? Encoding.UTF8.GetString(entry.Body.Span) : "";
        byte[] line = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{entry.Index}\t{entry.Term}\t{entry.Type}\t{payload}\n"));
        _file.Write(line);
        _file.Flush(flushToDisk: true);
        (AppliedIndex, AppliedTerm) = (entry.Index, entry.Term);
        return entry.Index;
    }

    public ReadOnlyMemory<byte> TakeSnapshot()
    {
        _file.Flush(flushToDisk: true);
        return File.ReadAllBytes(_path);
    }

    public void RestoreSnapshot(Snapshot snapshot)
    {
        _file.Dispose();
        File.WriteAllBytes(_path, snapshot.Data.ToArray());
        _file = Open(_path, out long applied, out long appliedTerm);
        if (applied != snapshot.Index) throw new InvalidDataException($"snapshot at index {snapshot.Index} holds entries up to {applied}");
        (AppliedIndex, AppliedTerm) = (applied, appliedTerm);
    }

    public void Dispose() => _file.Dispose();

    private static FileStream Open(string path, out long applied, out long appliedTerm)
    {
        applied = 0;
        appliedTerm = 0;
        long complete = 0;
        if (File.Exists(path))
        {
            byte[] bytes = File.ReadAllBytes(path);
            int start = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                string line = Encoding.UTF8.GetString(bytes, start, i - start);
                var fields = line.Split('\t');
                applied = long.Parse(fields[0], CultureInfo.InvariantCulture);
                appliedTerm = long.Parse(fields[1], CultureInfo.InvariantCulture);
                start = i + 1;
                complete = start;
            }
        }
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        file.SetLength(complete);
        file.Position = complete;
        return file;
    }
}
