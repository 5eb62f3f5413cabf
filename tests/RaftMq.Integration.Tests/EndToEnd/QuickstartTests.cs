namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary><c>raftmq quickstart</c> end to end, on a conf folder with free ports (the README's conf/dledger ports may
/// be taken on a build machine).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_kills_the_leader_twice_and_reports_no_lost_message()
    {
        using var root = new TestDirectory("quickstart");
        string conf = ClusterConfs.Write(root.Path);

        var result = await RaftMqRun.RunAsync(root.Path, TimeSpan.FromMinutes(4),
            "quickstart", "--conf", conf, "--kills", "2", "--phase", "1s", "-l", Path.Combine(root.Path, "logs"));

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}{Environment.NewLine}{result.Output}{result.Error}");
        Assert.Contains("result: PASS", result.Output, StringComparison.Ordinal);
        Assert.Contains("over 2 kill(s)", result.Output, StringComparison.Ordinal);
        Assert.Contains("caught up", result.Output, StringComparison.Ordinal);
    }
}
