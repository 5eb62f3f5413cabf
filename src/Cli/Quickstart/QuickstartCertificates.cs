using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftMq.Cli.Quickstart;

/// <summary>
/// The certificates of <c>raftmq quickstart --secure</c>, made in-process (no openssl): an authority and one node
/// certificate it signs for 127.0.0.1, ::1, localhost and this machine's name, usable as server certificate and, on
/// the Raft peer links, as client certificate. ECDSA P-256: quick to make and accepted by every TLS 1.2/1.3 stack.
/// </summary>
public static class QuickstartCertificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>How long the demo certificates are valid: a quickstart cluster is short-lived.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    /// <summary>File names written by <see cref="WriteAll"/>, relative to its folder.</summary>
    public const string CaCertFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string NodeCertFile = "node.crt";
    public const string NodeKeyFile = "node.key";

    /// <summary>Writes a fresh authority (ca.crt, ca.key) and node certificate (node.crt, node.key) into
    /// <paramref name="directory"/>; keys are PKCS#8 PEM readable by the owner only.</summary>
    public static void WriteAll(string directory, DateTimeOffset now)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var authority = CreateAuthority(authorityKey, now);
        using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var node = IssueNode(authority, nodeKey, now);
        File.WriteAllText(Path.Combine(directory, CaCertFile), authority.ExportCertificatePem());
        WriteKey(Path.Combine(directory, CaKeyFile), authorityKey);
        File.WriteAllText(Path.Combine(directory, NodeCertFile), node.ExportCertificatePem());
        WriteKey(Path.Combine(directory, NodeKeyFile), nodeKey);
    }

    private static X509Certificate2 CreateAuthority(ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=RaftMq quickstart CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }

    private static X509Certificate2 IssueNode(X509Certificate2 authority, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=RaftMq quickstart node", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        if (Uri.CheckHostName(Environment.MachineName) == UriHostNameType.Dns) names.AddDnsName(Environment.MachineName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        // Signed by the authority's key, which CreateSelfSigned attached to the authority certificate.
        return request.Create(authority, now.AddMinutes(-5), now.Add(Validity).AddMinutes(-10), RandomNumberGenerator.GetBytes(16));
    }

    private static void WriteKey(string path, ECDsa key)
    {
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
