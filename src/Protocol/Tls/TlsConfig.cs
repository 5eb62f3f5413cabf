using System.Globalization;

namespace RaftMq.Protocol.Tls;

/// <summary>Where TLS keys are read from: a conf file's lookup, its error factory (naming key and file), and the
/// folder relative paths are resolved against (the conf file's).</summary>
public sealed record TlsKeySource(Func<string, string?> Get, Func<string, string, Exception> Error, string BaseDirectory);

/// <summary>
/// The TLS settings of a broker or name server conf, with certificates loaded and checked at startup (a missing or
/// unreadable file fails the start naming its key). <see cref="Server"/> is null when the ports accept plaintext
/// only; <see cref="Client"/> is null when outbound connections are plaintext.
/// </summary>
public sealed class TlsConfig
{
    private TlsConfig(TlsMode mode, ServerTls? server, ClientTls? client, ServerTls? peerServer)
    {
        Mode = mode;
        Server = server;
        Client = client;
        PeerServer = peerServer;
    }

    /// <summary>Plaintext everywhere (the default).</summary>
    public static TlsConfig Disabled { get; } = new(TlsMode.Disabled, null, null, null);

    /// <summary><see cref="Server"/> as accepted Raft peer links use it: the client-certificate policy of
    /// <c>tls.peer.need.client.auth</c> when given.</summary>
    public ServerTls? PeerServer { get; }

    public TlsMode Mode { get; }

    public ServerTls? Server { get; }

    public ClientTls? Client { get; }

    public override string ToString() => $"TLS(mode {Mode}, outbound {(Client is null ? "plaintext" : "TLS")})";

    public static TlsConfig Read(TlsKeySource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        RefuseUnsupported(source);
        bool enable = ReadEnable(source);
        var mode = ReadMode(source, enable);
        ServerTls? server = mode == TlsMode.Disabled ? null : ReadServer(source, mode);
        ClientTls? client = enable ? ReadClient(source) : null;
        var peerClientAuth = source.Get(TlsKeys.PeerNeedClientAuth) is null ? server?.ClientAuth : ParseClientAuth(source, TlsKeys.PeerNeedClientAuth);
        return new TlsConfig(mode, server, client, peerClientAuth is { } auth ? server?.WithClientAuth(auth) : server);
    }

    private static void RefuseUnsupported(TlsKeySource source)
    {
        if (source.Get(TlsKeys.TestModeEnable) is { } testMode && ParseBoolean(source, TlsKeys.TestModeEnable, testMode))
            throw source.Error(TlsKeys.TestModeEnable, "RaftMq has no self-signed test mode; give tls.server.certPath and tls.server.keyPath (PEM)");
        if (source.Get(TlsKeys.ConfigFile) is not null)
            throw source.Error(TlsKeys.ConfigFile, "RaftMq reads the tls.* keys from this conf file itself; move them here and remove tls.config.file");
    }

    private static bool ReadEnable(TlsKeySource source)
    {
        bool? enable = source.Get(TlsKeys.Enable) is { } text ? ParseBoolean(source, TlsKeys.Enable, text) : null;
        bool? rocketMq = source.Get(TlsKeys.RocketMqEnable) is { } other ? ParseBoolean(source, TlsKeys.RocketMqEnable, other) : null;
        if (enable is { } a && rocketMq is { } b && a != b)
            throw source.Error(TlsKeys.RocketMqEnable, $"contradicts {TlsKeys.Enable}={a.ToString().ToLowerInvariant()}; keep one of them");
        return enable ?? rocketMq ?? false;
    }

    private static TlsMode ReadMode(TlsKeySource source, bool enable)
    {
        TlsMode? mode = source.Get(TlsKeys.Mode) is { } text ? ParseMode(source, TlsKeys.Mode, text) : null;
        TlsMode? rocketMq = source.Get(TlsKeys.ServerMode) is { } other ? ParseMode(source, TlsKeys.ServerMode, other) : null;
        if (mode is { } a && rocketMq is { } b && a != b)
            throw source.Error(TlsKeys.ServerMode, $"contradicts {TlsKeys.Mode}={a.ToString().ToLowerInvariant()}; keep one of them");
        return mode ?? rocketMq ?? (enable ? TlsMode.Enforcing : TlsMode.Disabled);
    }

    private static ServerTls ReadServer(TlsKeySource source, TlsMode mode)
    {
        string modeKey = source.Get(TlsKeys.Mode) is not null ? TlsKeys.Mode : source.Get(TlsKeys.ServerMode) is not null ? TlsKeys.ServerMode : TlsKeys.Enable;
        string certPath = RequirePath(source, TlsKeys.ServerCertPath, modeKey, mode);
        string keyPath = RequirePath(source, TlsKeys.ServerKeyPath, modeKey, mode);
        var certificate = TlsPem.LoadWithKey(certPath, TlsKeys.ServerCertPath, keyPath, TlsKeys.ServerKeyPath,
            source.Get(TlsKeys.ServerKeyPassword), source.Error, out var chain);
        var clientAuth = ParseClientAuth(source, TlsKeys.ServerNeedClientAuth);
        bool verifyClient = ReadBoolean(source, TlsKeys.ServerAuthClient, true);
        var trusted = Path(source, TlsKeys.ServerTrustCertPath) is { } trustPath ? TlsPem.LoadBundle(trustPath, TlsKeys.ServerTrustCertPath, source.Error) : null;
        return new ServerTls(mode, certificate, chain, clientAuth, verifyClient, trusted);
    }

    private static ClientTls ReadClient(TlsKeySource source) => ClientTls.Load(
        ReadBoolean(source, TlsKeys.ClientAuthServer, true), Path(source, TlsKeys.ClientTrustCertPath), TlsKeys.ClientTrustCertPath,
        Path(source, TlsKeys.ClientCertPath), TlsKeys.ClientCertPath, Path(source, TlsKeys.ClientKeyPath), TlsKeys.ClientKeyPath,
        source.Get(TlsKeys.ClientKeyPassword), source.Error);

    private static string RequirePath(TlsKeySource source, string key, string modeKey, TlsMode mode) =>
        Path(source, key) ?? throw source.Error(key, $"required because {modeKey} makes this server accept TLS (tlsMode {mode.ToString().ToLowerInvariant()}): the PEM file");

    private static string? Path(TlsKeySource source, string key) =>
        source.Get(key) is { Length: > 0 } text ? System.IO.Path.GetFullPath(text, source.BaseDirectory) : null;

    private static TlsMode ParseMode(TlsKeySource source, string key, string text) => text.Trim().ToLowerInvariant() switch
    {
        "disabled" => TlsMode.Disabled,
        "permissive" => TlsMode.Permissive,
        "enforcing" => TlsMode.Enforcing,
        _ => throw source.Error(key, "expected disabled, permissive or enforcing"),
    };

    private static TlsClientAuth ParseClientAuth(TlsKeySource source, string key) => source.Get(key)?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => TlsClientAuth.None,
        "optional" => TlsClientAuth.Optional,
        "require" => TlsClientAuth.Require,
        _ => throw source.Error(key, "expected none, optional or require"),
    };

    private static bool ReadBoolean(TlsKeySource source, string key, bool defaultValue) =>
        source.Get(key) is { } text ? ParseBoolean(source, key, text) : defaultValue;

    private static bool ParseBoolean(TlsKeySource source, string key, string text) =>
        bool.TryParse(text.Trim(), out bool value) ? value : throw source.Error(key, string.Create(CultureInfo.InvariantCulture, $"expected true or false"));
}
