namespace RaftMq.Protocol.Tls;

/// <summary>What a server's port accepts (RocketMQ's <c>tls.server.mode</c>, RaftMq's <c>tlsMode</c>).</summary>
public enum TlsMode
{
    /// <summary>Plaintext only (RaftMq's default).</summary>
    Disabled,

    /// <summary>TLS and plaintext on the same port, told apart by the client's first byte.</summary>
    Permissive,

    /// <summary>TLS only: a plaintext connection is closed at once, with a log line.</summary>
    Enforcing,
}

/// <summary>Whether a TLS server asks clients for a certificate (<c>tls.server.need.client.auth</c>).</summary>
public enum TlsClientAuth
{
    None,

    /// <summary>Asked for; a client without one is still served, one with an untrusted certificate is not.</summary>
    Optional,

    /// <summary>Mutual TLS: a client without a trusted certificate is refused.</summary>
    Require,
}
