using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Tls;

namespace RaftMq.Cli.Quickstart;

/// <summary>
/// The traffic of quickstart: paced producers whose every send is recorded in a <see cref="MessageLedger"/>
/// (acknowledged, failed or unknown) and a push consumer recording every delivery, so that lost and duplicated
/// messages are counted exactly. Also measures failover: the first acknowledgement of a send started after a kill.
/// </summary>
public sealed class QuickstartWorkload : IAsyncDisposable
{
    public const string ConsumerGroup = "QuickstartConsumer";
    public const string ProducerGroup = "QuickstartProducer";

    private const string BodyPrefix = "quickstart|";
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(5);

    private readonly MQProducer _producer;
    private readonly PushConsumer _consumer;
    private readonly string _topic;
    private readonly int _messageBytes;
    private readonly TimeSpan _pacing;
    private readonly CancellationTokenSource _stopProducing = new();
    private Task _producers = Task.CompletedTask;
    private long _watchFrom = long.MaxValue;
    private long _firstAckAfterWatch;

    private QuickstartWorkload(MQProducer producer, PushConsumer consumer, string topic, int messageBytes, TimeSpan pacing)
    {
        _producer = producer;
        _consumer = consumer;
        _topic = topic;
        _messageBytes = messageBytes;
        _pacing = pacing;
    }

    public MessageLedger Ledger { get; } = new();

    /// <param name="ratePerSecond">Total send rate of <paramref name="producers"/> paced loops.</param>
    /// <param name="credentials">ACL keys producer and consumer sign with; null: unsigned.</param>
    /// <param name="tls">TLS towards the cluster; null: plaintext.</param>
    public static async Task<QuickstartWorkload> StartAsync(string nameServer, string topic, int messageBytes, int producers, int ratePerSecond,
        AclCredentials? credentials, ClientTlsOptions? tls, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [nameServer], ProducerGroup = ProducerGroup, InstanceName = "quickstart-producer", Credentials = credentials, Tls = tls,
        }, loggers);
        var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [nameServer], ConsumerGroup = ConsumerGroup, InstanceName = "quickstart-consumer",
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset, Credentials = credentials, Tls = tls,
        }, loggers);
        var workload = new QuickstartWorkload(producer, consumer, topic, messageBytes, TimeSpan.FromSeconds((double)producers / ratePerSecond));
        await producer.StartAsync(cancellationToken).ConfigureAwait(false);
        consumer.Subscribe(topic);
        await consumer.StartAsync(workload.OnMessagesAsync, cancellationToken).ConfigureAwait(false);
        workload._producers = Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(workload.ProduceLoopAsync)));
        return workload;
    }

    /// <summary>From now on, remembers when the first send started at or after <paramref name="timestamp"/> is acknowledged.</summary>
    public void WatchFirstAckAfter(long timestamp)
    {
        Interlocked.Exchange(ref _firstAckAfterWatch, 0);
        Interlocked.Exchange(ref _watchFrom, timestamp);
    }

    /// <summary>Stopwatch timestamp of that acknowledgement, or null while none happened.</summary>
    public long? FirstAckAfterWatch => Interlocked.Read(ref _firstAckAfterWatch) is var value and not 0 ? value : null;

    public async Task StopProducingAsync()
    {
        await _stopProducing.CancelAsync().ConfigureAwait(false);
        await _producers.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopProducingAsync().ConfigureAwait(false);
        await _consumer.DisposeAsync().ConfigureAwait(false);
        await _producer.DisposeAsync().ConfigureAwait(false);
        _stopProducing.Dispose();
    }

    private async Task ProduceLoopAsync()
    {
        var stop = _stopProducing.Token;
        using var pacing = new PeriodicTimer(_pacing);
        while (!stop.IsCancellationRequested)
        {
            long id = Ledger.NextId();
            long invoked = Stopwatch.GetTimestamp();
            var outcome = await SendAsync(id).ConfigureAwait(false);
            Ledger.RecordSend(id, outcome);
            if (outcome == SendOutcome.Acknowledged)
            {
                if (invoked >= Interlocked.Read(ref _watchFrom)) Interlocked.CompareExchange(ref _firstAckAfterWatch, Stopwatch.GetTimestamp(), 0);
                await WaitAsync(pacing, stop).ConfigureAwait(false);
            }
            else
            {
                // Retry soon (not at the paced rate) so that the failover time is measured precisely.
                await Task.Delay(PauseAfterFailure, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<SendOutcome> SendAsync(long id)
    {
        try
        {
            var result = await _producer.SendAsync(new Message(_topic, Body(id, _messageBytes), "quickstart", KeyOf(id)), CancellationToken.None).ConfigureAwait(false);
            return SendOutcomeClassifier.Of(result);
        }
        catch (MQException e)
        {
            return SendOutcomeClassifier.Of(e);
        }
    }

    private ValueTask<ConsumeResult> OnMessagesAsync(IReadOnlyList<MessageExt> messages, ConsumeContext context, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            if (TryReadId(message.Body, out long id)) Ledger.RecordDelivery(id);
        }
        return ValueTask.FromResult(ConsumeResult.Success);
    }

    private static async Task WaitAsync(PeriodicTimer pacing, CancellationToken stop)
    {
        try
        {
            await pacing.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the loop.
        }
    }

    private static string KeyOf(long id) => "qs-" + id.ToString(CultureInfo.InvariantCulture);

    private static byte[] Body(long id, int size)
    {
        string text = BodyPrefix + id.ToString(CultureInfo.InvariantCulture) + "|";
        return Encoding.ASCII.GetBytes(text.Length < size ? text.PadRight(size, '.') : text);
    }

    private static bool TryReadId(byte[] body, out long id)
    {
        id = 0;
        string text = Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 40));
        if (!text.StartsWith(BodyPrefix, StringComparison.Ordinal)) return false;
        int end = text.IndexOf('|', BodyPrefix.Length);
        return end > 0 && long.TryParse(text.AsSpan(BodyPrefix.Length, end - BodyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
