using System.Diagnostics;
using System.Threading.Channels;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Consensus.Runtime;

/// <summary>The node loop: inputs from channels and timers, one driver round at a time.</summary>
public sealed partial class RaftNode : IRoundInputs, IDriverHost
{
    private async Task RunLoopAsync()
    {
        var reader = _inputs.Reader;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (!HasQueuedWork && !await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false)) break;
                RunRound();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            _driver.Halt(e);
        }
    }

    /// <summary>Work that does not come through the channel: ticks, control items, or a Ready the core holds.</summary>
    private bool HasQueuedWork => Volatile.Read(ref _pendingTicks) > 0 || !_control.IsEmpty || _driver.HasReady;

    private void RunRound()
    {
        _inputsThisRound = 0;
        _driver.RunRound(this, Stopwatch.GetTimestamp());
        AdvanceLearnerAcks();
    }

    bool IRoundInputs.TryRead(out NodeInput input)
    {
        input = default;
        if (_inputsThisRound++ >= _settings.MaxInputsPerRound || !_inputs.Reader.TryRead(out input)) return false;
        // The wake item is gone from the channel: the next tick or control item must queue a new one. (Clearing the
        // flag at the start of the round instead lost wake-ups: a tick arriving between that reset and this read had
        // its wake item consumed here while the flag stayed set, so every later Wake() wrote nothing and a node with
        // no peer traffic stopped ticking.)
        if (input.Kind == NodeInputKind.Wake) Volatile.Write(ref _wakeQueued, 0);
        return true;
    }

    int IRoundInputs.TakeTicks() => Interlocked.Exchange(ref _pendingTicks, 0);

    bool IRoundInputs.TryTakeControl(out ControlItem item) => _control.TryDequeue(out item);

    void IDriverHost.StateChanged(SoftState state)
    {
        FollowLeader(state);
        _stateEvents.Writer.TryWrite(state);
    }

    void IDriverHost.MembershipChanged(Membership membership) => OnMembershipChanged(membership);

    void IDriverHost.Halted()
    {
        _inputs.Writer.TryComplete();
        // Peers must notice at once that this node is gone, as if its process had died.
        _haltedTransportStop = _transport.StopAsync(CancellationToken.None);
        _halted.TrySetResult(_driver.HaltReason ?? "unknown");
    }

    private async Task PumpInboundAsync()
    {
        var inbound = _transport.Inbound;
        try
        {
            while (await inbound.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (inbound.TryRead(out var payload))
                {
                    if (TryDecode(payload.From, payload.Payload) is { } message)
                        await _inputs.Writer.WriteAsync(NodeInput.ForMessage(message), _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
    }

    private Message? TryDecode(string from, byte[] payload)
    {
        Message message;
        try
        {
            message = MessageCodec.Decode(payload);
        }
        catch (FormatException e)
        {
            LogMessages.MessageUndecodable(_logger, SelfId, from, e.Message);
            return null;
        }
        if (string.Equals(message.From, from, StringComparison.Ordinal))
        {
            RecordHeardFrom(from);
            return message;
        }
        LogMessages.MessageSenderMismatch(_logger, SelfId, message.From, from);
        return null;
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(_options.TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _pendingTicks);
                Wake();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(_options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false)) EnqueueControl(new ControlItem(ControlKind.Flush));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
