using System.Reflection;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Tests.Configuration;

/// <summary>Every key in <see cref="ConsensusKeys"/> has a row in docs/configuration/consensus-keys.md or (the classic
/// master/slave keys) broker-keys.md, and consensus-keys.md names no other key (a row's first column may name an old
/// spelling or RocketMQ's name beside ours).</summary>
public sealed class ConsensusKeysDocTests
{
    [Fact]
    public void The_key_table_lists_every_consensus_key_and_no_other()
    {
        var consensusTable = KeysInTable("consensus-keys.md");
        var brokerTable = KeysInTable("broker-keys.md");
        var inCode = new SortedSet<string>(typeof(ConsensusKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!), StringComparer.Ordinal);

        string[] undocumented = inCode.Where(key => !consensusTable.Contains(key) && !brokerTable.Contains(key)).ToArray();
        string[] unknown = consensusTable.Where(key => !inCode.Contains(key)).ToArray();
        Assert.True(undocumented.Length == 0, "keys with no row: " + string.Join(", ", undocumented));
        Assert.True(unknown.Length == 0, "rows naming no consensus key: " + string.Join(", ", unknown));
    }

    private static SortedSet<string> KeysInTable(string file)
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration", file));
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in doc.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            foreach (string part in line.Split('|')[1].Split('`').Where((_, i) => i % 2 == 1)) keys.Add(part);
        }
        return keys;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RaftMq.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
