using System.Reflection;

namespace RaftMq.Architecture.Tests;

/// <summary>
/// The dependency rule (ARCHITECTURE.md §2): Foundation depends on no RaftMq assembly; Protocol and Consensus only
/// on Foundation (Consensus never on Protocol or Broker); NameServer and Client only on Protocol and Foundation;
/// Dashboard only on Client, Protocol and Foundation. Assemblies are loaded by name.
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
    public void Assembly_references_only_the_allowed_RaftMq_assemblies(string assembly, string[] allowed)
    {
        string[] raftMqReferences = RaftMqReferences(assembly);

        string[] violations = raftMqReferences.Except(allowed).ToArray();
        Assert.True(violations.Length == 0, $"{assembly} must not reference {string.Join(", ", violations)}");
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
            .Where(n => n.StartsWith("RaftMq.", StringComparison.Ordinal) || n == "raftmq")
            .ToArray();
}
