namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary><c>raftmq produce --transaction</c> as separate OS processes against the shared group (checks every 2 s).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class TransactionCliTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TestDirectory _logs = new("tx-cli-logs");

    [Fact]
    public async Task A_half_message_left_open_by_an_exited_process_is_committed_by_the_check_another_process_answers()
    {
        const string topic = "E2ETxCliRestart";
        const string group = "e2e-tx-cli-restart";

        var first = await ProduceAsync(topic, group, "unknown", "-c", "1");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("localTransactionState=Unknown", first.Output, StringComparison.Ordinal);
        Assert.Contains("sent 1 of 1 transactional messages (Unknown)", first.Output, StringComparison.Ordinal);

        // A new process of the same group: its own transaction is committed by a check, and the one the exited
        // process left open is checked with it (it became due first) and committed by this process's answer.
        var second = await ProduceAsync(topic, group, "check-commit", "-c", "1", "--check-wait", "90s");
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("0 transaction(s) still unchecked", second.Output, StringComparison.Ordinal);

        await E2EStored.WaitForAsync(cluster, topic, 2);
    }

    [Fact]
    public async Task Commit_is_stored_rollback_is_not_and_a_bad_shape_is_a_usage_error()
    {
        const string topic = "E2ETxCliShapes";

        var commit = await ProduceAsync(topic, "e2e-tx-cli-commit", "commit", "-c", "2");
        var rollback = await ProduceAsync(topic, "e2e-tx-cli-rollback", "rollback", "-c", "3");
        var bad = await ProduceAsync(topic, "e2e-tx-cli-bad", "maybe", "-c", "1");

        Assert.True(commit.ExitCode == 0, commit.Output + commit.Error);
        Assert.Equal(2, CountOccurrences(commit.Output, "localTransactionState=CommitMessage"));
        Assert.True(rollback.ExitCode == 0, rollback.Output + rollback.Error);
        Assert.Equal(3, CountOccurrences(rollback.Output, "localTransactionState=RollbackMessage"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--transaction must be one of commit|rollback|unknown|check-commit, not 'maybe'", bad.Error, StringComparison.Ordinal);
        await E2EStored.WaitForAsync(cluster, topic, 2);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> ProduceAsync(string topic, string group, string shape, params string[] more) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline,
            ["produce", "-n", cluster.NameServer, "-t", topic, "-g", group, "--queues", "1", "--transaction", shape, .. more, "-l", _logs.Path]);

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
