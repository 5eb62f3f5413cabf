using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RaftMq.Protocol.Tls;

/// <summary>
/// The client side of TLS, loaded once: which servers are trusted (a CA bundle, else the system store), whether the
/// server's certificate is checked at all, and the certificate presented to servers that ask for one.
/// </summary>
public sealed class ClientTls
{
    private readonly X509ChainPolicy? _serverTrust;
    private readonly bool _verifyServer;
    private readonly X509Certificate2? _certificate;

    public ClientTls(bool verifyServer, X509Certificate2Collection? trustedServerIssuers, X509Certificate2? certificate)
    {
        _verifyServer = verifyServer;
        _serverTrust = TlsPem.TrustPolicy(trustedServerIssuers);
        _certificate = certificate;
    }

    /// <summary>True when the server certificate is not checked (tests only).</summary>
    public bool SkipsVerification => !_verifyServer;

    /// <summary>Options for one connection to <paramref name="host"/> (checked against the certificate's names).
    /// <paramref name="fallbackCertificate"/> is presented when no client certificate is configured (a broker's own
    /// certificate on its Raft peer links).</summary>
    public SslClientAuthenticationOptions For(string host, X509Certificate2? fallbackCertificate = null)
    {
        var presented = _certificate ?? fallbackCertificate;
        return new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificates = presented is null ? null : [presented],
            CertificateChainPolicy = _serverTrust?.Clone(),
            RemoteCertificateValidationCallback = _verifyServer ? null : static (_, _, _, _) => true,
        };
    }

    /// <summary>Loads the client side from PEM files; errors name the option the path came from.</summary>
    public static ClientTls Load(bool verifyServer, string? trustCertPath, string trustKey, string? certPath, string certKey,
        string? keyPath, string keyKey, string? keyPassword, Func<string, string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var trusted = trustCertPath is null ? null : TlsPem.LoadBundle(trustCertPath, trustKey, error);
        X509Certificate2? certificate = null;
        if (certPath is not null || keyPath is not null)
        {
            if (certPath is null) throw error(certKey, $"a client key is given ({keyKey}) but no certificate; give both or neither");
            if (keyPath is null) throw error(keyKey, $"a client certificate is given ({certKey}) but no key; give both or neither");
            certificate = TlsPem.LoadWithKey(certPath, certKey, keyPath, keyKey, keyPassword, error, out _);
        }
        return new ClientTls(verifyServer, trusted, certificate);
    }
}
