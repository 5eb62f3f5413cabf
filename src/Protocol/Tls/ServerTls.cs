using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RaftMq.Protocol.Tls;

/// <summary>
/// The server side of TLS, loaded once at startup: the certificate (with its chain), whether clients are asked for
/// a certificate and how it is checked, and which connections the port accepts (<see cref="Mode"/>).
/// </summary>
public sealed class ServerTls
{
    private readonly SslStreamCertificateContext _certificateContext;
    private readonly X509ChainPolicy? _clientTrust;
    private readonly bool _verifyClient;

    public ServerTls(TlsMode mode, X509Certificate2 certificate, X509Certificate2Collection chain, TlsClientAuth clientAuth,
        bool verifyClient, X509Certificate2Collection? trustedClientIssuers)
        : this(mode, certificate, SslStreamCertificateContext.Create(certificate, chain, offline: true), clientAuth, verifyClient,
            TlsPem.TrustPolicy(trustedClientIssuers))
    {
    }

    private ServerTls(TlsMode mode, X509Certificate2 certificate, SslStreamCertificateContext context, TlsClientAuth clientAuth,
        bool verifyClient, X509ChainPolicy? clientTrust)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey) throw new ArgumentException("the server certificate needs its private key", nameof(certificate));
        Mode = mode;
        Certificate = certificate;
        ClientAuth = clientAuth;
        _verifyClient = verifyClient;
        _clientTrust = clientTrust;
        _certificateContext = context;
    }

    /// <summary>The same certificate and trust with another client-certificate policy.</summary>
    public ServerTls WithClientAuth(TlsClientAuth clientAuth) =>
        clientAuth == ClientAuth ? this : new ServerTls(Mode, Certificate, _certificateContext, clientAuth, _verifyClient, _clientTrust);

    public TlsMode Mode { get; }

    public X509Certificate2 Certificate { get; }

    public TlsClientAuth ClientAuth { get; }

    /// <summary>Fresh options for one accepted connection.</summary>
    public SslServerAuthenticationOptions AuthenticationOptions() => new()
    {
        ServerCertificateContext = _certificateContext,
        ClientCertificateRequired = ClientAuth != TlsClientAuth.None,
        CertificateChainPolicy = _clientTrust?.Clone(),
        RemoteCertificateValidationCallback = AcceptClientCertificate,
    };

    /// <summary>Client certificates name no host, so only the chain counts; a missing one is fine unless required.</summary>
    private bool AcceptClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (ClientAuth == TlsClientAuth.None) return true;
        if (certificate is null) return ClientAuth == TlsClientAuth.Optional;
        return !_verifyClient || (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
    }
}
