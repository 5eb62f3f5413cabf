using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

public sealed partial class RemotingConnection
{
    /// <summary>
    /// Sends a request and awaits the response with the same opaque. Responses may arrive in any order. A timeout
    /// throws <see cref="RemotingTimeoutException"/> and leaves the connection and other requests alone; a closed
    /// connection throws <see cref="RemotingSendException"/>.
    /// </summary>
    public async Task<RemotingCommand> InvokeAsync(
        RemotingCommand request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var waiter = new TaskCompletionSource<RemotingCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        int opaque = Register(request, waiter);
        try
        {
            if (!IsOpen) throw new RemotingSendException(RemoteAddress, $"Connection to {RemoteAddress} is closed.");
            await SendAsync(request, cancellationToken).ConfigureAwait(false);
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RemotingTimeoutException(
                RemoteAddress, $"No response to request code {request.Code} (opaque {opaque}) from {RemoteAddress} within {timeout.TotalMilliseconds:0} ms.");
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<int, TaskCompletionSource<RemotingCommand>>(opaque, waiter));
        }
    }

    /// <summary>Sends a request with the oneway flag set; nothing comes back.</summary>
    public ValueTask InvokeOnewayAsync(RemotingCommand request, CancellationToken cancellationToken = default)
    {
        request.MarkOneway();
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Registers the waiter under the request's opaque, picking a fresh opaque if that one is taken.</summary>
    private int Register(RemotingCommand request, TaskCompletionSource<RemotingCommand> waiter)
    {
        while (!_pending.TryAdd(request.Opaque, waiter)) request.Opaque = RemotingCommand.NextOpaque();
        return request.Opaque;
    }

    /// <summary>Appended to the failure of requests on a plaintext client connection that closed before receiving a byte.</summary>
    public const string TlsHint = "connection closed before any response: does the server require TLS (tlsMode=enforcing)? Then connect with --tls (ClientOptions.Tls).";

    private void FailPending(string reason)
    {
        string message = $"Connection to {RemoteAddress} closed ({reason}) before the response arrived";
        message += _settings.HintTlsOnSilentClose && !IsTls && Volatile.Read(ref _receivedAny) == 0 ? "; " + TlsHint : ".";
        foreach (var entry in _pending)
        {
            if (_pending.TryRemove(entry.Key, out var waiter))
            {
                waiter.TrySetException(new RemotingSendException(RemoteAddress, message));
            }
        }
    }
}
