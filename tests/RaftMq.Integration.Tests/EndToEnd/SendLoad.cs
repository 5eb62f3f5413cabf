using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client;
using RaftMq.Client.Producer;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>One producer sending new bodies back to back; every failed send is recorded, none is retried here.</summary>
internal sealed class SendLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private Task _loop = Task.CompletedTask;

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    public IReadOnlyCollection<string> Failures => _failures;

    public static SendLoad Start(MQProducer producer, string topic, string prefix)
    {
        var load = new SendLoad();
        load._loop = Task.Run(() => load.RunAsync(producer, topic, prefix));
        return load;
    }

    public async Task WaitForAcknowledgedAsync(int count)
    {
        bool reached = await EventuallyAsync(() => _acknowledged.Count >= count || _loop.IsCompleted);
        await (_loop.IsCompleted ? _loop : Task.CompletedTask);
        Assert.True(reached, $"only {_acknowledged.Count} of {count} sends acknowledged in time; failures: {string.Join(" | ", _failures.Take(3))}");
    }

    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return [.. _acknowledged];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(MQProducer producer, string topic, string prefix)
    {
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            string body = $"{prefix}-{i}";
            try
            {
                await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes(body)), CancellationToken.None);
                _acknowledged.Enqueue(body);
            }
            catch (MQException ex)
            {
                _failures.Enqueue($"{body}: {ex.Message}");
            }
        }
    }
}
