using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftMq.Protocol.Tls;

/// <summary>Reads certificates and keys from PEM files; every failure names the key (or option) the path came from.</summary>
internal static class TlsPem
{
    /// <summary>The first certificate of <paramref name="certPath"/> with the private key of <paramref name="keyPath"/>;
    /// <paramref name="chain"/> gets the certificates after it (intermediates).</summary>
    public static X509Certificate2 LoadWithKey(string certPath, string certKey, string keyPath, string keyKey, string? keyPassword,
        Func<string, string, Exception> error, out X509Certificate2Collection chain)
    {
        var certificates = LoadBundle(certPath, certKey, error);
        RequireFile(keyPath, keyKey, error);
        X509Certificate2 withKey;
        try
        {
            withKey = keyPassword is null
                ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certPath, keyPassword, keyPath);
        }
        catch (CryptographicException e)
        {
            throw error(keyKey, $"{keyPath} holds no private key matching the certificate in {certPath}" +
                (keyPassword is null ? "" : " (or the key password is wrong)") + $": {e.Message}");
        }
        if (withKey.NotAfter < DateTime.Now)
            throw error(certKey, $"the certificate in {certPath} ({withKey.Subject}) expired on {withKey.NotAfter:u}");
        chain = [];
        for (int i = 1; i < certificates.Count; i++) chain.Add(certificates[i]);
        return withKey;
    }

    /// <summary>Every certificate in a PEM file (at least one).</summary>
    public static X509Certificate2Collection LoadBundle(string path, string key, Func<string, string, Exception> error)
    {
        RequireFile(path, key, error);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw error(key, $"{path} is not a PEM certificate file: {e.Message}");
        }
        if (certificates.Count == 0) throw error(key, $"{path} contains no -----BEGIN CERTIFICATE----- block");
        return certificates;
    }

    /// <summary>A chain policy that trusts exactly the certificates of <paramref name="trusted"/>; null when none
    /// are given (the system's trust store applies).</summary>
    public static X509ChainPolicy? TrustPolicy(X509Certificate2Collection? trusted)
    {
        if (trusted is null) return null;
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trusted);
        return policy;
    }

    private static void RequireFile(string path, string key, Func<string, string, Exception> error)
    {
        if (!File.Exists(path)) throw error(key, $"{path} does not exist");
    }
}
