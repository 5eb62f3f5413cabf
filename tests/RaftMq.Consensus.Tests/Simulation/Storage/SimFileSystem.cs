using RaftMq.Consensus.Log;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Tests.Simulation.Storage;

/// <summary>Seeded disk faults of one simulated node's file system (probabilities per operation while armed).</summary>
internal sealed class SimDiskFaults
{
    /// <summary>An fsync fails with EIO (the node must stop trusting its log: it halts).</summary>
    public double FsyncFailure { get; set; }

    /// <summary>A read of a running node returns one flipped byte (a latent sector error the CRCs must catch).</summary>
    public double ReadCorruption { get; set; }

    /// <summary>Every write fails with ENOSPC while set.</summary>
    public bool DiskFull { get; set; }

    /// <summary>At a crash: probability that all unsynced writes are lost; otherwise a random prefix survives (in the
    /// order they were issued, across files), the next one torn.</summary>
    public double LoseAllUnsynced { get; set; } = 0.5;

    /// <summary>Each file keeps its own random prefix of unsynced writes (real page-cache writeback is per file). Off by
    /// default: then a segment's lost tail with the next segment's bytes kept makes recovery see damage followed by a
    /// valid entry, which it declares corruption (see docs/design/node-driver-and-simulation.md).</summary>
    public bool IndependentWriteback { get; set; }

    public void Clear()
    {
        FsyncFailure = 0;
        ReadCorruption = 0;
        DiskFull = false;
    }
}

/// <summary>An injected disk fault, so the simulator can tell the node's expected reaction (halt) from a bug.</summary>
internal sealed class SimulatedDiskException(string message) : IOException(message);

/// <summary>
/// The disk of one simulated node, under the real log store, hard-state file, checkpoint and snapshot, and the broker's
/// ConsumeQueues, key index and store checkpoint. Every file
/// has a durable image and the writes since its last fsync; a crash keeps the durable image plus a random prefix of
/// the unsynced writes (the last one possibly torn). A round of the node loop is journaled: a crash while its disk
/// work is still "in flight" (virtual latency) keeps only a random prefix of the round's operations, so a crash can
/// land between any two writes, fsyncs or renames. Directory operations are durable once executed. A mapped file
/// (<see cref="SimMappedFile"/>) is a private copy whose changed pages reach the file as writes at its flush; at a crash
/// each page changed since then survives or not (the kernel's writeback order is arbitrary).
/// </summary>
internal sealed class SimFileSystem(Random random, Func<DateTime> clock) : IFileSystem
{
    private readonly Dictionary<string, SimFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly List<SimMappedFile> _mappings = new();
    private readonly List<Op> _round = new();
    private readonly Dictionary<string, SimFile?> _roundStart = new(StringComparer.Ordinal);
    private bool _replaying;
    private long _sequence;
    private int _visibleBarrier;

    public SimDiskFaults Faults { get; } = new();

    /// <summary>Faults injected so far (an exception in a round after one was injected is the node's expected halt).</summary>
    public int InjectedFaults { get; private set; }

    /// <summary>False while the node opens its store and while checkers read: faults fire only in running rounds.</summary>
    public bool FaultsEnabled { get; set; }

    /// <summary>Operations journaled in the current round that change files (0: the round touched no disk).</summary>
    public int RoundOperations => _round.Count;

    public int Syncs { get; private set; }

    public void CreateDirectory(string path)
    {
        // Like Directory.CreateDirectory, every missing ancestor too.
        for (string? directory = Normalize(path); !string.IsNullOrEmpty(directory) && _directories.Add(directory); directory = Path.GetDirectoryName(directory))
        {
        }
    }

    public bool DirectoryExists(string path)
    {
        string directory = Normalize(path);
        string prefix = directory + "/";
        return _directories.Contains(directory) || _files.Keys.Any(p => p.StartsWith(prefix, StringComparison.Ordinal));
    }

    public IEnumerable<string> EnumerateDirectories(string directory)
    {
        string prefix = Normalize(directory) + "/";
        return _directories.Concat(_files.Keys.Select(p => Path.GetDirectoryName(p)!))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => p.IndexOf('/', prefix.Length) is var end and > 0 ? p[..end] : p)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes the directory's files (journaled, as single deletions are) and the directory entries.</summary>
    public void DeleteDirectory(string directory)
    {
        string normalized = Normalize(directory);
        string prefix = normalized + "/";
        foreach (string path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList()) Delete(path);
        _directories.RemoveWhere(p => p == normalized || p.StartsWith(prefix, StringComparison.Ordinal));
    }

    public bool FileExists(string path) => _files.ContainsKey(path);

    public IEnumerable<string> EnumerateFiles(string directory)
    {
        string prefix = Normalize(directory) + "/";
        return _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.IndexOf('/', prefix.Length) < 0)
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    public long GetLength(string path) => Get(path).Length;

    public DateTime GetLastWriteTimeUtc(string path) => Get(path).LastWrite;

    public IStoredFile Open(string path)
    {
        if (!_files.ContainsKey(path)) Record(new Op(OpKind.Create, path));
        return new Handle(this, path);
    }

    public IMappedFile Map(string path, bool writable)
    {
        var file = Get(path);
        var mapping = new SimMappedFile(this, path, file.Current.AsSpan(0, file.Length).ToArray(), writable);
        if (writable) _mappings.Add(mapping);
        return mapping;
    }

    public byte[]? ReadAllOrNull(string path)
    {
        if (!_files.TryGetValue(path, out var file)) return null;
        var bytes = file.Current.AsSpan(0, file.Length).ToArray();
        MaybeCorrupt(bytes);
        return bytes;
    }

    public void Delete(string path)
    {
        if (_files.ContainsKey(path)) Record(new Op(OpKind.Delete, path));
    }

    public void Move(string from, string to)
    {
        if (!_files.ContainsKey(from)) throw new FileNotFoundException($"simulated disk: {from} does not exist", from);
        Record(new Op(OpKind.Move, from, Target: to));
    }

    public void SyncDirectory(string directory) => MaybeFailFsync(directory);

    /// <summary>
    /// The node made something visible outside (applied an entry, which completes a client's append): the round's
    /// operations so far had completed in real time, so a crash can no longer cut the round before this point.
    /// </summary>
    public void MarkVisible() => _visibleBarrier = _round.Count;

    /// <summary>The round's disk work completed: nothing of it can be cut by a crash any more.</summary>
    public void CompleteRound()
    {
        _visibleBarrier = 0;
        _round.Clear();
        _roundStart.Clear();
    }

    /// <summary>
    /// Power loss. When <paramref name="roundInFlight"/>, only a random prefix of the current round's operations
    /// happened; then every file keeps its durable image plus a random prefix of its unsynced writes.
    /// </summary>
    public void Crash(bool roundInFlight)
    {
        LoseMappedPages();
        if (roundInFlight && _round.Count > 0)
        {
            int keep = _visibleBarrier + random.Next(_round.Count - _visibleBarrier + 1);
            var ops = _round.GetRange(0, keep);
            foreach (var (path, file) in _roundStart)
            {
                if (file is null) _files.Remove(path);
                else _files[path] = file;
            }
            _replaying = true;
            foreach (var op in ops) Execute(op);
            _replaying = false;
        }
        CompleteRound();
        if (Faults.IndependentWriteback)
        {
            foreach (var file in _files.Values) LoseUnsynced([file]);
            return;
        }
        LoseUnsynced(_files.Values.ToList());
    }

    /// <summary>The process and the page cache die: each page a mapping changed since its last flush was or was not
    /// written back before the power went; the mappings are gone.</summary>
    private void LoseMappedPages()
    {
        foreach (var mapping in _mappings)
        {
            if (!_files.TryGetValue(mapping.Path, out var file)) continue;
            foreach (var (offset, page) in mapping.TakeChangedPages())
            {
                if (random.Next(2) == 0) file.WriteBack(offset, page);
            }
        }
        _mappings.Clear();
    }

    /// <summary>A mapping's flush: its changed pages become writes of the file, then the file is fsynced.</summary>
    internal void FlushMapping(SimMappedFile mapping)
    {
        MaybeFailFsync(mapping.Path);
        if (!_files.ContainsKey(mapping.Path)) return;
        WriteChangedPages(mapping);
        Record(new Op(OpKind.Flush, mapping.Path));
    }

    /// <summary>An unmapped file's changed pages stay in the page cache: unsynced writes of the file.</summary>
    internal void Unmap(SimMappedFile mapping)
    {
        if (!_mappings.Remove(mapping)) return;
        if (_files.ContainsKey(mapping.Path)) WriteChangedPages(mapping);
    }

    private void WriteChangedPages(SimMappedFile mapping)
    {
        foreach (var (offset, page) in mapping.TakeChangedPages()) Record(new Op(OpKind.Write, mapping.Path, offset, page));
    }

    /// <summary>A random prefix (in issue order) of the files' unsynced writes survives, the next one torn.</summary>
    private void LoseUnsynced(List<SimFile> files)
    {
        var sequences = files.SelectMany(f => f.UnsyncedSequences).Order().ToList();
        if (sequences.Count == 0) return;
        long cut = random.NextDouble() < Faults.LoseAllUnsynced ? sequences[0] - 1 : sequences[random.Next(sequences.Count)];
        double torn = random.NextDouble();
        foreach (var file in files) file.LoseUnsynced(cut, torn);
    }

    /// <summary>Copies what a power loss now would surely leave at <paramref name="offset"/> of the file; returns the count.</summary>
    public int ReadDurable(string path, long offset, Span<byte> destination)
    {
        if (!_files.TryGetValue(path, out var file) || offset >= file.Durable.Length) return 0;
        int count = (int)Math.Min(destination.Length, file.Durable.Length - offset);
        file.Durable.Slice((int)offset, count).CopyTo(destination);
        return count;
    }

    /// <summary>Deletes every file under <paramref name="directory"/> except the named ones (an operator wiping a log).</summary>
    public void Wipe(string directory, params string[] keep)
    {
        string prefix = Normalize(directory) + "/";
        foreach (string path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            if (!keep.Contains(Path.GetFileName(path))) _files.Remove(path);
        }
        _directories.RemoveWhere(p => p.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static string Normalize(string path) => path.TrimEnd('/');

    private SimFile Get(string path) =>
        _files.TryGetValue(path, out var file) ? file : throw new FileNotFoundException($"simulated disk: {path} does not exist", path);

    private void Record(Op op)
    {
        if (op.Kind == OpKind.Write && Faults.DiskFull && FaultsEnabled)
        {
            InjectedFaults++;
            throw new SimulatedDiskException("simulated disk full (ENOSPC)");
        }
        Remember(op.Path);
        if (op.Target is not null) Remember(op.Target);
        op = op with { Sequence = ++_sequence };
        _round.Add(op);
        Execute(op);
    }

    /// <summary>Keeps the state a path had when the round began (once per round), so a crash can cut the round.</summary>
    private void Remember(string path)
    {
        if (_roundStart.ContainsKey(path)) return;
        _roundStart[path] = _files.TryGetValue(path, out var file) ? file.Clone() : null;
    }

    private void Execute(Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Create:
                _files.TryAdd(op.Path, new SimFile(clock()));
                break;
            case OpKind.Write:
                Get(op.Path).Write(op.Offset, op.Data!, clock(), op.Sequence);
                break;
            case OpKind.SetLength:
                Get(op.Path).SetLength(op.Offset, clock(), op.Sequence);
                break;
            case OpKind.Flush:
                Get(op.Path).Flush();
                break;
            case OpKind.Delete:
                _files.Remove(op.Path);
                break;
            case OpKind.Move:
                _files[op.Target!] = _files[op.Path];
                _files.Remove(op.Path);
                break;
        }
    }

    private void MaybeFailFsync(string what)
    {
        if (_replaying) return;
        Syncs++;
        if (FaultsEnabled && Faults.FsyncFailure > 0 && random.NextDouble() < Faults.FsyncFailure)
        {
            InjectedFaults++;
            throw new SimulatedDiskException($"simulated fsync failure (EIO) on {what}");
        }
    }

    private void MaybeCorrupt(Span<byte> read)
    {
        if (read.IsEmpty || !FaultsEnabled || Faults.ReadCorruption <= 0 || random.NextDouble() >= Faults.ReadCorruption) return;
        InjectedFaults++;
        read[random.Next(read.Length)] ^= (byte)(1 << random.Next(8));
    }

    private enum OpKind : byte { Create, Write, SetLength, Flush, Delete, Move }

    private sealed record Op(OpKind Kind, string Path, long Offset = 0, byte[]? Data = null, string? Target = null)
    {
        public long Sequence { get; init; }
    }

    private sealed class Handle(SimFileSystem fs, string path) : IStoredFile
    {
        public long Length => fs._files.TryGetValue(path, out var file) ? file.Length : 0;

        public int Read(long offset, Span<byte> destination)
        {
            if (!fs._files.TryGetValue(path, out var file) || offset >= file.Length) return 0;
            int count = (int)Math.Min(destination.Length, file.Length - offset);
            file.Current.AsSpan((int)offset, count).CopyTo(destination);
            fs.MaybeCorrupt(destination[..count]);
            return count;
        }

        public void Write(long offset, ReadOnlySpan<byte> data) => fs.Record(new Op(OpKind.Write, path, offset, data.ToArray()));

        public void SetLength(long length) => fs.Record(new Op(OpKind.SetLength, path, length));

        public void Flush()
        {
            fs.MaybeFailFsync(path);
            if (fs._files.ContainsKey(path)) fs.Record(new Op(OpKind.Flush, path));
        }

        public void Dispose()
        {
        }
    }
}
