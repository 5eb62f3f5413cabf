namespace RaftMq.Protocol.Tls;

/// <summary>
/// TLS of a client (the .NET client, the raftmq client verbs): on when this object is given. The server is checked
/// against <see cref="CaFile"/> (else the system's trust store) and its name; <see cref="InsecureSkipVerify"/> turns
/// that off, for tests only. <see cref="CertFile"/>/<see cref="KeyFile"/> is the certificate presented to servers that
/// ask for one (tls.server.need.client.auth).
/// </summary>
public sealed record ClientTlsOptions
{
    public const string EnableVariable = "RAFTMQ_TLS";
    public const string CaFileVariable = "RAFTMQ_TLS_CA_FILE";
    public const string InsecureVariable = "RAFTMQ_TLS_INSECURE_SKIP_VERIFY";
    public const string CertFileVariable = "RAFTMQ_TLS_CERT_FILE";
    public const string KeyFileVariable = "RAFTMQ_TLS_KEY_FILE";

    /// <summary>PEM bundle of the authorities that sign the servers' certificates.</summary>
    public string? CaFile { get; init; }

    /// <summary>Accept any server certificate. Only for tests: it gives up protection against a man in the middle.</summary>
    public bool InsecureSkipVerify { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Reads the files; the exception names the option and the file.</summary>
    /// <exception cref="ArgumentException">A file is missing or not PEM, or only one of cert and key is given.</exception>
    public ClientTls Load() => ClientTls.Load(!InsecureSkipVerify,
        CaFile, $"{nameof(CaFile)} (--tls-ca-file, ${CaFileVariable})",
        CertFile, $"{nameof(CertFile)} (--tls-cert, ${CertFileVariable})",
        KeyFile, $"{nameof(KeyFile)} (--tls-key, ${KeyFileVariable})",
        keyPassword: null, static (key, reason) => new ArgumentException($"TLS option {key}: {reason}"));

    /// <summary>
    /// The command-line values, each falling back to its environment variable (<c>RAFTMQ_TLS=true</c>,
    /// <c>RAFTMQ_TLS_CA_FILE</c>, <c>RAFTMQ_TLS_INSECURE_SKIP_VERIFY=true</c>, <c>RAFTMQ_TLS_CERT_FILE</c>,
    /// <c>RAFTMQ_TLS_KEY_FILE</c>); null when TLS is off. Any TLS option given turns TLS on.
    /// </summary>
    public static ClientTlsOptions? Resolve(bool tls, string? caFile, bool insecureSkipVerify, string? certFile, string? keyFile)
    {
        caFile ??= Variable(CaFileVariable);
        certFile ??= Variable(CertFileVariable);
        keyFile ??= Variable(KeyFileVariable);
        insecureSkipVerify |= IsTrue(InsecureVariable);
        tls |= IsTrue(EnableVariable);
        if (!tls && caFile is null && !insecureSkipVerify && certFile is null && keyFile is null) return null;
        return new ClientTlsOptions { CaFile = caFile, InsecureSkipVerify = insecureSkipVerify, CertFile = certFile, KeyFile = keyFile };
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static bool IsTrue(string name) => Variable(name) is { } value && (value == "1" || bool.TryParse(value, out bool on) && on);
}
