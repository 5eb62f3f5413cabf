using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Workload;

public sealed partial class QueueWorkload
{
    /// <summary>One send attempt, always recorded; a timeout or an exception is an info outcome.</summary>
    private async Task<SendOutcome> SendOnceAsync(string producer, ChaosMessage message, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_options.SendTimeout);
        var invokeUs = _clock.NowUs;
        SendResult result;
        try
        {
            result = await _client.SendAsync(message, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            result = SendResult.Info($"timeout after {_options.SendTimeout.TotalSeconds:0.###}s");
        }
        catch (OperationCanceledException)
        {
            result = SendResult.Info("run stopped while the send was in flight");
        }
        catch (Exception e)
        {
            result = SendResult.Info($"{e.GetType().Name}: {e.Message}");
        }

        var position = result.Outcome == SendOutcome.Acknowledged ? result.Position : null;
        _history.Append(new SendOp(producer, message.Key, message.Seq, message.PayloadId, invokeUs, _clock.NowUs, result.Outcome,
            position?.Broker, position?.QueueId, position?.QueueOffset, result.MsgId, result.Attempts, result.Error,
            TransactionPlans.Label(message.Transaction), result.EndError));
        if (result.Outcome == SendOutcome.Acknowledged && TransactionPlans.Commits(message.Transaction))
        {
            _acked.TryAdd(message.PayloadId, 0);
        }

        return result.Outcome;
    }

    /// <summary>Starts the group's consumers; each is restarted after a failure until <see cref="StopConsumersAsync"/>.</summary>
    public void StartConsumers()
    {
        if (_consumerStop is not null)
        {
            throw new InvalidOperationException("consumers already started");
        }

        _consumerStop = new CancellationTokenSource();
        var token = _consumerStop.Token;
        for (var c = 0; c < _options.Consumers; c++)
        {
            var consumerId = $"c{c}";
            _consumers.Add(Task.Run(() => ConsumeAsync(consumerId, token), CancellationToken.None));
        }
    }

    public async Task StopConsumersAsync()
    {
        if (_consumerStop is null)
        {
            return;
        }

        await _consumerStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_consumers).ConfigureAwait(false);
        _consumers.Clear();
        _consumerStop.Dispose();
        _consumerStop = null;
    }

    private async Task ConsumeAsync(string consumerId, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _client.ConsumeAsync(consumerId, message => Record(consumerId, message), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _history.Append(new NoteOp($"consumer {consumerId} failed: {e.GetType().Name}: {e.Message}", _clock.NowUs));
            }

            try
            {
                // the consumer ended or failed before the run did: back off, then start it again
                await Task.Delay(TimeSpan.FromSeconds(1), _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ValueTask Record(string consumerId, ReceivedMessage message)
    {
        var position = message.Position;
        _history.Append(new ReceiveOp(consumerId, message.PayloadId, message.Key, message.Seq,
            position.Broker, position.QueueId, position.QueueOffset, _clock.NowUs));
        _received.TryAdd(message.PayloadId, 0);
        return ValueTask.CompletedTask;
    }
}
