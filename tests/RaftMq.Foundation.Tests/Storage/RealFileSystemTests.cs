using RaftMq.Foundation.Storage;

namespace RaftMq.Foundation.Tests.Storage;

public sealed class RealFileSystemTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "raftmq-fs-" + Guid.NewGuid().ToString("N"));
    private readonly IFileSystem _fs = RealFileSystem.Instance;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Writes_through_a_mapping_reach_the_file_and_spans_outside_it_are_refused()
    {
        _fs.CreateDirectory(_root);
        string path = Path.Combine(_root, "mapped");
        using (var file = _fs.Open(path)) file.SetLength(8192);

        using (var mapping = _fs.Map(path, writable: true))
        {
            Assert.Equal(8192, mapping.Length);
            "hello"u8.CopyTo(mapping.GetSpan(4096, 5));
            mapping.Flush();
            Assert.Throws<ArgumentOutOfRangeException>(() => mapping.GetSpan(8190, 4).Length);
        }

        using var reread = _fs.Open(path);
        var bytes = new byte[5];
        Assert.Equal(5, reread.Read(4096, bytes));
        Assert.Equal("hello"u8.ToArray(), bytes);
    }

    [Fact]
    public void Directories_are_listed_and_deleted_with_their_content()
    {
        string topic = Path.Combine(_root, "consumequeue", "T");
        _fs.CreateDirectory(Path.Combine(topic, "0"));
        _fs.CreateDirectory(Path.Combine(topic, "1"));
        DurableFiles.WriteAtomically(_fs, Path.Combine(topic, "0", "unit"), [1, 2, 3]);

        Assert.True(_fs.DirectoryExists(topic));
        Assert.Equal([Path.Combine(topic, "0"), Path.Combine(topic, "1")], _fs.EnumerateDirectories(topic).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], DurableFiles.ReadOrNull(_fs, Path.Combine(topic, "0", "unit")));

        _fs.DeleteDirectory(Path.Combine(_root, "consumequeue"));
        _fs.DeleteDirectory(Path.Combine(_root, "consumequeue")); // absent: nothing to do
        Assert.False(_fs.DirectoryExists(topic));
        Assert.Empty(_fs.EnumerateDirectories(topic));
    }
}
