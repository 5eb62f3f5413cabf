using RaftMq.NameServer.Configuration;

namespace RaftMq.NameServer.Tests.Configuration;

/// <summary>The namesrv.conf key table in src/NameServer/README.md lists exactly the keys the name server reads.</summary>
public sealed class NameServerKeysDocTests
{
    [Fact]
    public void The_readme_key_table_lists_every_key_and_no_other()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "NameServer", "README.md"));
        string table = readme[readme.IndexOf("## namesrv.conf keys", StringComparison.Ordinal)..];
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in table.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            string keys = line.Split('|')[1];
            foreach (string part in keys.Split('`').Where((_, i) => i % 2 == 1)) documented.Add(part);
        }
        var read = new SortedSet<string>(NameServerKeys.All.Where(key => !IsTlsKeyDocumentedInSecurity(key)), StringComparer.Ordinal);
        documented.RemoveWhere(IsTlsKeyDocumentedInSecurity);

        Assert.Equal(read, documented);
    }

    /// <summary>The TLS keys are shared with the broker and listed in full in docs/security.md.</summary>
    private static bool IsTlsKeyDocumentedInSecurity(string key) => key.StartsWith("tls", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RaftMq.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
