using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RaftMq.NameServer.Configuration;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>docs/compatibility.md's request-code tables list exactly the codes the processors register: a code added
/// or removed without its documentation row fails here.</summary>
public sealed partial class CompatibilityTableTests
{
    [Fact]
    public async Task Broker_code_table_equals_the_codes_the_broker_processors_register()
    {
        await using var kit = new BrokerTestKit();

        var documented = DocumentedCodes("### Broker");

        // BrokerNode registers the ACL admin codes (50-54) and the broker config codes (25, 26) beside the processors the kit registers.
        var registered = kit.Server.RegisteredCodes.Concat(RaftMq.Broker.Acl.AclAdminProcessor.Codes)
            .Concat(RaftMq.Broker.Hosting.BrokerConfigProcessor.Codes).Distinct();
        Assert.Equal(registered.Order(), documented.Order());
    }

    [Fact]
    public async Task Name_server_code_table_equals_the_codes_the_name_server_serves()
    {
        await using var nameServer = new NameServer.NameServer(new NameServerOptions { ListenPort = 0, BindAddress = IPAddress.Loopback });

        var documented = DocumentedCodes("### Name server");

        Assert.Equal(nameServer.ServedCodes.Order(), documented.Order());
    }

    /// <summary>Codes in the first column of the table under the heading that starts with <paramref name="heading"/>
    /// ("10, 310" lists two codes).</summary>
    private static List<int> DocumentedCodes(string heading)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "compatibility.md"));
        int start = Array.FindIndex(lines, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/compatibility.md has no section '{heading}'");
        var codes = new List<int>();
        foreach (string line in lines.Skip(start + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')))
        {
            string firstCell = line.Split('|', StringSplitOptions.TrimEntries)[1];
            foreach (Match code in Number().Matches(firstCell)) codes.Add(int.Parse(code.Value, CultureInfo.InvariantCulture));
        }
        Assert.NotEmpty(codes);
        return codes;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RaftMq.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("RaftMq.sln not found above the test binaries");
    }

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex Number();
}
