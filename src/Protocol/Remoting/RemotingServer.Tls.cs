using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using RaftMq.Protocol.Tls;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Accepting with TLS configured: each new socket is handled off the accept loop. Its first byte (peeked, not
/// consumed) says what the client speaks: 0x16 starts a TLS handshake record, a remoting frame starts with the
/// high byte of its length. The mode then decides, as RocketMQ's handshake handler does: enforcing closes plaintext,
/// disabled closes TLS, permissive serves both on the same port.
/// </summary>
public sealed partial class RemotingServer
{
    private const byte TlsHandshakeRecord = 0x16;

    private readonly ConcurrentDictionary<Socket, Task> _tlsAccepts = new();

    private void StartTlsAccept(Socket socket, ServerTls tls)
    {
        // Registered before it starts, so the removal on completion can never run first and leak the entry.
        var start = new Task<Task>(() => AcceptTlsAsync(socket, tls));
        var run = start.Unwrap();
        _tlsAccepts[socket] = run;
        _ = run.ContinueWith(_ => _tlsAccepts.TryRemove(socket, out Task? _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        start.Start(TaskScheduler.Default);
    }

    private async Task AcceptTlsAsync(Socket socket, ServerTls tls)
    {
        string address = Describe(socket);
        using var timeout = new CancellationTokenSource(_options.TlsHandshakeTimeout);
        SslStream? ssl = null;
        try
        {
            int first = await PeekFirstByteAsync(socket, timeout.Token).ConfigureAwait(false);
            if (first < 0)
            {
                // Connected and left without a word (a port probe, a health check): nothing to refuse or report.
                socket.Dispose();
                return;
            }
            bool speaksTls = first == TlsHandshakeRecord;
            if (RefusalFor(speaksTls, tls.Mode) is { } refusal)
            {
                Refuse(socket, address, refusal);
                return;
            }
            if (!speaksTls)
            {
                Accept(socket, new NetworkStream(socket, ownsSocket: false));
                return;
            }
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(tls.AuthenticationOptions(), timeout.Token).ConfigureAwait(false);
            Accept(socket, ssl);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (ssl is not null) await ssl.DisposeAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _state) != 1)
            {
                socket.Dispose();
                return;
            }
            string why = ex is OperationCanceledException
                ? $"no TLS handshake within {_options.TlsHandshakeTimeout.TotalSeconds:0.###} s"
                : $"TLS handshake failed: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}";
            Refuse(socket, address, why);
        }
    }

    /// <summary>Why a connection speaking TLS (or not) is refused in <paramref name="mode"/>; null when it is served.</summary>
    internal static string? RefusalFor(bool speaksTls, TlsMode mode) => (speaksTls, mode) switch
    {
        (false, TlsMode.Enforcing) => "plaintext connection refused: this server requires TLS (tlsMode=enforcing); connect with --tls",
        (true, TlsMode.Disabled) => "TLS connection refused: this server has TLS disabled (tlsMode=disabled)",
        _ => null,
    };

    /// <summary>The first byte the client sent, left in the socket; -1 when it closed without sending anything.</summary>
    private static async Task<int> PeekFirstByteAsync(Socket socket, CancellationToken ct)
    {
        var first = new byte[1];
        int received = await socket.ReceiveAsync(first, SocketFlags.Peek, ct).ConfigureAwait(false);
        return received == 0 ? -1 : first[0];
    }

    private void Refuse(Socket socket, string address, string reason)
    {
        RemotingRefusals.Count(RefusalReason.Tls);
        if (_settings.RefusalLog.ShouldReport(out int suppressed))
            Report(RemotingDiagnosticKind.TlsRefused, 0, address, suppressed > 0 ? $"{reason} ({suppressed} similar refusals not logged)" : reason);
        socket.Dispose();
    }

    /// <summary>Closes sockets still in their TLS handshake and waits for those accepts to end.</summary>
    private async Task StopTlsAcceptsAsync()
    {
        foreach (var socket in _tlsAccepts.Keys) socket.Dispose();
        await Task.WhenAll(_tlsAccepts.Values).ConfigureAwait(false);
    }

    private static string Describe(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint is IPEndPoint remote ? RemotingConnection.FormatAddress(remote) : "unknown";
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return "unknown (already reset)";
        }
    }
}
