namespace RaftMq.Protocol.Tls;

/// <summary>The TLS keys of broker.conf and namesrv.conf. The <c>tls.*</c> names are RocketMQ's (TlsSystemConfig);
/// <c>tlsEnable</c> and <c>tlsMode</c> are the switches (docs/configuration/broker-keys.md, "TLS").</summary>
public static class TlsKeys
{
    /// <summary>TLS on: outbound connections (to name servers, brokers, Raft peers) use TLS, and the default of
    /// <see cref="Mode"/> becomes enforcing. RocketMQ's <c>tls.enable</c> is read as the same switch.</summary>
    public const string Enable = "tlsEnable";

    /// <summary>RocketMQ's system-property spelling of <see cref="Enable"/>.</summary>
    public const string RocketMqEnable = "tls.enable";

    /// <summary>disabled | permissive | enforcing: what this server's ports accept.</summary>
    public const string Mode = "tlsMode";

    /// <summary>RocketMQ's spelling of <see cref="Mode"/>.</summary>
    public const string ServerMode = "tls.server.mode";

    public const string ServerCertPath = "tls.server.certPath";
    public const string ServerKeyPath = "tls.server.keyPath";
    public const string ServerKeyPassword = "tls.server.keyPassword";

    /// <summary>none | optional | require: ask connecting clients (and Raft peers) for a certificate.</summary>
    public const string ServerNeedClientAuth = "tls.server.need.client.auth";

    /// <summary>Verify client certificates against <see cref="ServerTrustCertPath"/> (RaftMq's default true).</summary>
    public const string ServerAuthClient = "tls.server.authClient";

    public const string ServerTrustCertPath = "tls.server.trustCertPath";

    /// <summary>RaftMq's, brokers only: none | optional | require for accepted Raft peer links (mutual TLS between the
    /// nodes of a group without asking applications for certificates); default <see cref="ServerNeedClientAuth"/>.</summary>
    public const string PeerNeedClientAuth = "tls.peer.need.client.auth";

    public const string ClientCertPath = "tls.client.certPath";
    public const string ClientKeyPath = "tls.client.keyPath";
    public const string ClientKeyPassword = "tls.client.keyPassword";

    /// <summary>Verify the server's certificate and name (RaftMq's default true).</summary>
    public const string ClientAuthServer = "tls.client.authServer";

    public const string ClientTrustCertPath = "tls.client.trustCertPath";

    /// <summary>RocketMQ's self-signed test mode; refused (RaftMq never makes up certificates).</summary>
    public const string TestModeEnable = "tls.test.mode.enable";

    /// <summary>RocketMQ's separate tls.properties; refused (RaftMq reads the keys from the conf file itself).</summary>
    public const string ConfigFile = "tls.config.file";
}
