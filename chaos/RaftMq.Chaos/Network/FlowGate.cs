namespace RaftMq.Chaos.Network;

/// <summary>An async gate that pumps wait on; open lets bytes flow, closed holds them.</summary>
internal sealed class FlowGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _opened = NewOpened();

    public FlowGate()
    {
        _opened.SetResult();
    }

    public bool IsOpen => Volatile.Read(ref _opened).Task.IsCompleted;

    public Task WaitOpenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _opened).Task.WaitAsync(cancellationToken);

    public void Open()
    {
        lock (_lock)
        {
            _opened.TrySetResult();
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_opened.Task.IsCompleted)
            {
                Volatile.Write(ref _opened, NewOpened());
            }
        }
    }

    private static TaskCompletionSource NewOpened() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
