using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>StateChanged events, raised off the loop.</summary>
public sealed partial class RaftNode
{
    /// <summary>Raises StateChanged in order, one event at a time, on a thread-pool thread (never the loop).</summary>
    private async Task DispatchStateEventsAsync()
    {
        var reader = _stateEvents.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var state)) RaiseStateChanged(state);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void RaiseStateChanged(SoftState state)
    {
        var handlers = StateChanged;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<SoftState>)handler)(state);
            }
            catch (Exception e)
            {
                LogMessages.StateChangedHandlerFailed(_logger, e, SelfId);
            }
        }
    }
}
