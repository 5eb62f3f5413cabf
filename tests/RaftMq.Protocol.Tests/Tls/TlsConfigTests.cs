using RaftMq.Protocol.Tls;
using RaftMq.Tests.Tls;

namespace RaftMq.Protocol.Tests.Tls;

/// <summary>Reading the TLS keys of a conf: defaults, RocketMQ spellings, and a clear error naming the key for every
/// missing or unusable file.</summary>
public sealed class TlsConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("raftmq-tls-config-").FullName;
    private readonly string _certPath;
    private readonly string _keyPath;
    private readonly string _caPath;

    public TlsConfigTests()
    {
        var authority = TestCertificates.CreateAuthority("conf test CA");
        (_certPath, _keyPath) = TestCertificates.WritePem(TestCertificates.Issue(authority, "node"), _folder, "node");
        (_caPath, _) = TestCertificates.WritePem(authority, _folder, "ca");
        File.Delete(Path.Combine(_folder, "ca.key"));
    }

    [Fact]
    public void Nothing_set_is_plaintext_everywhere()
    {
        var tls = Read([]);
        Assert.Equal((TlsMode.Disabled, null, null), (tls.Mode, tls.Server, tls.Client));
    }

    [Fact]
    public void TlsEnable_makes_the_port_enforcing_and_outbound_connections_tls_with_relative_paths_beside_the_conf()
    {
        var tls = Read(new() { ["tlsEnable"] = "true", ["tls.server.certPath"] = "node.crt", ["tls.server.keyPath"] = "node.key", ["tls.client.trustCertPath"] = "ca.crt" });
        Assert.Equal(TlsMode.Enforcing, tls.Mode);
        Assert.Equal(TlsMode.Enforcing, tls.Server!.Mode);
        Assert.NotNull(tls.Client);
        Assert.False(tls.Client.SkipsVerification);
    }

    [Fact]
    public void RocketMqs_server_mode_and_client_auth_keys_are_read()
    {
        var tls = Read(new() { ["tls.server.mode"] = "permissive", ["tls.server.certPath"] = _certPath, ["tls.server.keyPath"] = _keyPath,
            ["tls.server.need.client.auth"] = "require", ["tls.server.trustCertPath"] = _caPath });
        Assert.Equal((TlsMode.Permissive, TlsClientAuth.Require), (tls.Mode, tls.Server!.ClientAuth));
        Assert.Null(tls.Client);
    }

    [Theory]
    [InlineData("tls.server.certPath", "missing.crt", "tls.server.certPath", "does not exist")]
    [InlineData("tls.server.keyPath", "missing.key", "tls.server.keyPath", "does not exist")]
    [InlineData("tls.server.keyPath", "ca.crt", "tls.server.keyPath", "holds no private key")]
    [InlineData("tls.server.certPath", "node.key", "tls.server.certPath", "contains no -----BEGIN CERTIFICATE-----")]
    [InlineData("tls.server.trustCertPath", "nowhere.pem", "tls.server.trustCertPath", "does not exist")]
    [InlineData("tlsMode", "strict", "tlsMode", "expected disabled, permissive or enforcing")]
    [InlineData("tls.server.need.client.auth", "always", "tls.server.need.client.auth", "expected none, optional or require")]
    [InlineData("tls.test.mode.enable", "true", "tls.test.mode.enable", "no self-signed test mode")]
    [InlineData("tls.server.mode", "disabled", "tls.server.mode", "contradicts tlsMode=enforcing")]
    public void A_bad_key_fails_naming_it(string key, string value, string namedKey, string reason)
    {
        var keys = new Dictionary<string, string>
        {
            ["tlsMode"] = "enforcing", ["tls.server.certPath"] = "node.crt", ["tls.server.keyPath"] = "node.key", [key] = value,
        };
        var error = Assert.Throws<InvalidOperationException>(() => Read(keys));
        Assert.StartsWith(namedKey + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_mode_without_a_certificate_names_the_missing_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["tlsEnable"] = "true" }));
        Assert.StartsWith("tls.server.certPath:", error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsEnable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_certificate_without_its_key_is_refused()
    {
        var options = new ClientTlsOptions { CertFile = _certPath };
        var error = Assert.Throws<ArgumentException>(options.Load);
        Assert.Contains("--tls-key", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private TlsConfig Read(Dictionary<string, string> keys) => TlsConfig.Read(new TlsKeySource(
        key => keys.GetValueOrDefault(key), (key, reason) => new InvalidOperationException($"{key}: {reason}"), _folder));
}
