using System.Net.Security;

namespace RaftMq.Consensus.Transport;

/// <summary>How the accepting side of peer links treats TLS (broker.conf <c>tlsMode</c>).</summary>
public enum PeerTlsMode
{
    /// <summary>Plaintext only; a TLS hello is refused with a log line naming the mismatch.</summary>
    Disabled,

    /// <summary>TLS and plaintext on the same port, told apart by the first byte the dialer sends.</summary>
    Permissive,

    /// <summary>TLS only; a plaintext dialer is refused with a log line.</summary>
    Enforcing,
}

/// <summary>
/// TLS of the peer links. Built by the host from PEM files; Consensus only wraps sockets with it. Mutual TLS is
/// <see cref="Accept"/> requiring a client certificate plus <see cref="Dial"/> presenting one.
/// </summary>
public sealed record PeerTlsOptions
{
    /// <summary>What accepted connections may speak.</summary>
    public PeerTlsMode Mode { get; init; }

    /// <summary>Server side of accepted TLS connections (certificate, client-certificate policy, trust); required
    /// unless <see cref="Mode"/> is Disabled.</summary>
    public SslServerAuthenticationOptions? Accept { get; init; }

    /// <summary>Client side of dialed connections for a target host; null dials plaintext.</summary>
    public Func<string, SslClientAuthenticationOptions>? Dial { get; init; }

    public void Validate()
    {
        if (Mode != PeerTlsMode.Disabled && Accept is null)
            throw new ArgumentException($"Accept must be set when Mode is {Mode}", nameof(Accept));
    }
}
