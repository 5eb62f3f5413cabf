using System.Reflection;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Tests.Configuration;

/// <summary>The key table of docs/configuration/consensus-keys.md names exactly the keys in <see cref="ConsensusKeys"/>
/// (a row's first column may name an old spelling or RocketMQ's name beside ours).</summary>
public sealed class ConsensusKeysDocTests
{
    [Fact]
    public void The_key_table_lists_every_consensus_key_and_no_other()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration", "consensus-keys.md"));
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in doc.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            string keys = line.Split('|')[1];
            foreach (string part in keys.Split('`').Where((_, i) => i % 2 == 1)) documented.Add(part);
        }
        var inCode = new SortedSet<string>(typeof(ConsensusKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!), StringComparer.Ordinal);

        Assert.Equal(inCode, documented);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RaftMq.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
