using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// Turns a connected peer socket into the stream the handshake and frames travel on: the socket itself, or an
/// <see cref="SslStream"/> over it. The accepting side looks at the dialer's first byte without consuming it: a TLS
/// record starts with 0x16 (handshake), the plaintext peer handshake with the high byte of its small length (0).
/// </summary>
internal static class PeerStreams
{
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>The stream for an accepted socket (owns it).</summary>
    /// <exception cref="PeerTlsRefusedException">The dialer speaks what the mode refuses.</exception>
    /// <exception cref="AuthenticationException">The TLS handshake failed (certificate, protocol).</exception>
    public static async Task<Stream> AcceptAsync(Socket socket, PeerTlsOptions? tls, CancellationToken ct)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        if (tls is null) return network;
        bool speaksTls = await StartsWithTlsAsync(socket, ct).ConfigureAwait(false);
        if (!speaksTls && tls.Mode == PeerTlsMode.Enforcing)
            throw new PeerTlsRefusedException("the dialer sent plaintext but tlsMode is enforcing here (is tlsEnable off on that node?)");
        if (speaksTls && tls.Mode == PeerTlsMode.Disabled)
            throw new PeerTlsRefusedException("the dialer started TLS but tlsMode is disabled here (set tlsMode=permissive or enforcing)");
        if (!speaksTls) return network;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(tls.Accept!, ct).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stream for a dialed socket (does not own it: the link closes the socket itself).</summary>
    public static async Task<Stream> DialAsync(Socket socket, string host, PeerTlsOptions? tls, CancellationToken ct)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls?.Dial is not { } dial) return network;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(dial(host), ct).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>"plaintext", or the TLS protocol and the remote certificate's subject, for the connection log line.</summary>
    public static string Describe(Stream stream) => stream switch
    {
        SslStream ssl => $"TLS {ssl.SslProtocol}, " + (ssl.RemoteCertificate is { } certificate ? $"certificate {certificate.Subject}" : "no client certificate"),
        _ => "plaintext",
    };

    private static async Task<bool> StartsWithTlsAsync(Socket socket, CancellationToken ct)
    {
        var first = new byte[1];
        int received = await socket.ReceiveAsync(first, SocketFlags.Peek, ct).ConfigureAwait(false);
        if (received == 0) throw new IOException("the dialer closed the connection before sending anything");
        return first[0] == TlsHandshakeRecord;
    }
}

/// <summary>A peer connection refused because it speaks plaintext where TLS is enforced, or the reverse.</summary>
internal sealed class PeerTlsRefusedException(string message) : Exception(message);
