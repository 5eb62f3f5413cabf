using RaftMq.Client;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>How many messages a topic of the shared group holds (the sum of its queues' max offsets), asked through the admin client.</summary>
internal static class E2EStored
{
    public static async Task<long> CountAsync(E2ECluster cluster, string topic)
    {
        using var timeout = new CancellationTokenSource(E2ECluster.Deadline);
        return (await cluster.Admin.GetTopicStatusAsync(topic, timeout.Token)).Sum(queue => queue.MaxOffset);
    }

    /// <summary>The count, or zero while the topic does not exist yet.</summary>
    public static async Task<long> CountOrZeroAsync(E2ECluster cluster, string topic)
    {
        try
        {
            return await CountAsync(cluster, topic);
        }
        catch (MQException)
        {
            return 0;
        }
    }

    /// <summary>Waits until <paramref name="topic"/> holds <paramref name="expected"/> messages (or more, then fails unless
    /// <paramref name="atLeast"/>); a missing topic or a leader change in between is asked again.</summary>
    public static async Task WaitForAsync(E2ECluster cluster, string topic, long expected, bool atLeast = false, string? what = null)
    {
        long stored = -1;
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                stored = await CountAsync(cluster, topic);
                if (stored >= expected) break;
            }
            catch (MQException)
            {
                // not created yet, or a leader change in between: ask again
            }
            await Task.Delay(200);
        }
        Assert.True(atLeast ? stored >= expected : stored == expected,
            $"{(what is null ? "" : what + ": ")}{stored} messages stored in {topic}, expected {(atLeast ? "at least " : "")}{expected}");
    }
}
