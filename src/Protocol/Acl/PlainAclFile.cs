using System.Security.Cryptography;
using System.Text;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// Watches one <c>plain_acl.yml</c> by content (RocketMQ's AclFileWatchService also compares file hashes): each
/// <see cref="ReadIfChanged"/> reads the file and reports a new, valid configuration, a refusal with its reason, or
/// nothing when the bytes are the ones seen last. Writes are atomic (temp file + rename) so a reader never sees half
/// a file. Not thread-safe: one loop owns it.
/// </summary>
public sealed class PlainAclFile(string path)
{
    private byte[]? _lastHash;

    public string Path { get; } = path;

    /// <summary>Forget what was seen, so the next read reports the file whatever it holds.</summary>
    public void Forget() => _lastHash = null;

    /// <summary>Parses the file now, whatever was seen before; throws <see cref="AclConfigException"/> or IO errors.</summary>
    public PlainAclConfig Load()
    {
        byte[] bytes = File.ReadAllBytes(Path);
        _lastHash = SHA256.HashData(bytes);
        return Parse(bytes);
    }

    /// <summary>Changed(config), Refused(reason), or Unchanged; a missing file counts as refused.</summary>
    public AclFileRead ReadIfChanged()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            byte[] missing = SHA256.HashData(Encoding.UTF8.GetBytes("missing:" + ex.GetType().Name));
            if (_lastHash is not null && missing.AsSpan().SequenceEqual(_lastHash)) return AclFileRead.Unchanged;
            _lastHash = missing;
            return AclFileRead.Refused($"cannot read {Path}: {ex.Message}");
        }
        byte[] hash = SHA256.HashData(bytes);
        if (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash)) return AclFileRead.Unchanged;
        _lastHash = hash;
        try
        {
            return AclFileRead.Changed(Parse(bytes));
        }
        catch (AclConfigException ex)
        {
            return AclFileRead.Refused($"{Path}: {ex.Message}");
        }
    }

    /// <summary>Replaces the file with <paramref name="config"/> unless it already holds the same rules; true when written.</summary>
    public bool WriteIfDifferent(PlainAclConfig config)
    {
        try
        {
            if (File.Exists(Path) && config.SameRulesAs(Parse(File.ReadAllBytes(Path)))) return false;
        }
        catch (AclConfigException)
        {
            // An unusable file is replaced by the rules in force.
        }
        byte[] bytes = Encoding.UTF8.GetBytes(PlainAclYaml.Write(config));
        string temp = $"{Path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, Path, overwrite: true);
        _lastHash = SHA256.HashData(bytes);
        return true;
    }

    private static PlainAclConfig Parse(byte[] bytes) => PlainAclYaml.Parse(Encoding.UTF8.GetString(bytes));
}

/// <summary>Outcome of one look at the file.</summary>
public readonly record struct AclFileRead(PlainAclConfig? Config, string? Problem)
{
    public static readonly AclFileRead Unchanged = new(null, null);

    public static AclFileRead Changed(PlainAclConfig config) => new(config, null);

    public static AclFileRead Refused(string problem) => new(null, problem);
}
