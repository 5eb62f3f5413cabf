using System.Reflection;

namespace RaftMq.Architecture.Tests;

/// <summary>
/// The dependency rule (ARCHITECTURE.md §2, docs/design/node-driver-and-simulation.md): Foundation depends on no RaftMq
/// assembly; Protocol and Consensus only on Foundation (Consensus never on Protocol or Broker); NameServer and Client
/// only on Protocol and Foundation; Dashboard only on Client, Protocol and Foundation; Broker on Consensus, Protocol and
/// Foundation. The CLI (raftmq) assembles everything; the chaos harness (raftmq-chaos) drives real processes through
/// the client and reads a stopped node's log files through Consensus, never Broker or NameServer code.
/// Every assembly built from src/ and chaos/ must have a row (<see cref="Every_assembly_has_a_rule"/>).
/// </summary>
public sealed class AssemblyDependencyTests
{
    [Theory]
    [InlineData("RaftMq.Foundation", new string[0])]
    [InlineData("RaftMq.Protocol", new[] { "RaftMq.Foundation" })]
    [InlineData("RaftMq.Consensus", new[] { "RaftMq.Foundation" })]
    [InlineData("RaftMq.NameServer", new[] { "RaftMq.Protocol", "RaftMq.Foundation" })]
    [InlineData("RaftMq.Client", new[] { "RaftMq.Protocol", "RaftMq.Foundation" })]
    [InlineData("RaftMq.Broker", new[] { "RaftMq.Protocol", "RaftMq.Consensus", "RaftMq.Foundation" })]
    [InlineData("RaftMq.Dashboard", new[] { "RaftMq.Protocol", "RaftMq.Client", "RaftMq.Foundation" })]
    [InlineData("raftmq", new[]
    {
        "RaftMq.Foundation", "RaftMq.Protocol", "RaftMq.Consensus", "RaftMq.Broker", "RaftMq.NameServer", "RaftMq.Client", "RaftMq.Dashboard",
    })]
    [InlineData("raftmq-chaos", new[] { "RaftMq.Foundation", "RaftMq.Protocol", "RaftMq.Client", "RaftMq.Consensus" })]
    public void Assembly_references_only_the_allowed_RaftMq_assemblies(string assembly, string[] allowed)
    {
        string[] raftMqReferences = RaftMqReferences(assembly);

        string[] violations = raftMqReferences.Except(allowed).ToArray();
        Assert.True(violations.Length == 0, $"{assembly} must not reference {string.Join(", ", violations)}");
    }

    [Fact]
    public void Every_assembly_has_a_rule()
    {
        string[] ruled = typeof(AssemblyDependencyTests).GetMethod(nameof(Assembly_references_only_the_allowed_RaftMq_assemblies))!
            .GetCustomAttributes<InlineDataAttribute>()
            .Select(data => (string)data.GetData(null!).Single()[0])
            .ToArray();

        string[] built = ProjectAssemblyNames(RepositoryRoot()).ToArray();

        Assert.Contains("RaftMq.Broker", built);
        Assert.Empty(built.Except(ruled));
    }

    [Fact]
    public void Dependency_check_sees_real_references()
    {
        // The test project itself references RaftMq assemblies: the check is not vacuous.
        string[] own = typeof(AssemblyDependencyTests).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith("RaftMq.", StringComparison.Ordinal)).ToArray();
        Assert.Contains("RaftMq.Consensus", own);
    }

    private static string[] RaftMqReferences(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(IsRaftMq)
            .ToArray();

    private static bool IsRaftMq(string name) => name.StartsWith("RaftMq.", StringComparison.Ordinal) || name is "raftmq" or "raftmq-chaos";

    /// <summary>The AssemblyName of every project under src/ and chaos/.</summary>
    private static IEnumerable<string> ProjectAssemblyNames(string root) =>
        new[] { "src", "chaos" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
            .Select(project => System.Xml.Linq.XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault()
                ?? Path.GetFileNameWithoutExtension(project));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RaftMq.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
