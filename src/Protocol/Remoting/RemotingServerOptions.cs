using System.Net;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Tls;

namespace RaftMq.Protocol.Remoting;

/// <summary>Settings of a <see cref="RemotingServer"/>.</summary>
public sealed record RemotingServerOptions
{
    /// <summary>Where to listen; port 0 picks a free port (see <see cref="RemotingServer.LocalEndPoint"/>).</summary>
    public required IPEndPoint ListenEndPoint { get; init; }

    /// <summary>Largest accepted frame including its length prefix (Java frameMaxLength, 16 MiB).</summary>
    public int MaxFrameLengthBytes { get; init; } = FrameCodec.DefaultMaxFrameLength;

    /// <summary>Commands queued per connection before senders wait.</summary>
    public int ConnectionWriteQueueCapacity { get; init; } = 4096;

    /// <summary>Upper bound of one coalesced socket write (a single bigger frame is still written whole).</summary>
    public int MaxWriteBatchBytes { get; init; } = 256 * 1024;

    public int ListenBacklog { get; init; } = 1024;

    /// <summary>Bytes all connections together may hold in frames they have begun but not finished receiving; a
    /// connection whose partial frame would exceed it is closed.</summary>
    public long MaxPartialFrameBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Longest a started frame may take to arrive completely (slow senders are closed); zero disables.</summary>
    public TimeSpan FrameReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a connection may go without reading or writing anything (RocketMQ's
    /// serverChannelMaxIdleTimeSeconds, 120 s; clients heartbeat every 30 s); zero disables.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Group used by <see cref="RemotingServer.RegisterHandler(int, IRemotingRequestHandler)"/>.</summary>
    public ProcessorGroupOptions DefaultGroup { get; init; } = new("default");

    /// <summary>Receives connection, dispatch and error events (Protocol has no logging dependency).</summary>
    public Action<RemotingDiagnosticEvent>? Diagnostics { get; init; }

    /// <summary>Access control applied to every request before dispatch (plain ACL); null lets everything through.</summary>
    public IRequestAuthorizer? Authorizer { get; init; }

    /// <summary>TLS of the port (certificate, client-certificate policy, tlsMode); null: plaintext only.</summary>
    public ServerTls? Tls { get; init; }

    /// <summary>Longest a new connection may take to send its first byte and finish the TLS handshake (with <see cref="Tls"/>).</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenEndPoint);
        Require(TlsHandshakeTimeout > TimeSpan.Zero, nameof(TlsHandshakeTimeout), TlsHandshakeTimeout, "positive");
        Require(MaxFrameLengthBytes >= 1024, nameof(MaxFrameLengthBytes), MaxFrameLengthBytes, "at least 1024");
        Require(ConnectionWriteQueueCapacity >= 1, nameof(ConnectionWriteQueueCapacity), ConnectionWriteQueueCapacity, "at least 1");
        Require(MaxWriteBatchBytes >= 1024, nameof(MaxWriteBatchBytes), MaxWriteBatchBytes, "at least 1024");
        Require(ListenBacklog >= 1, nameof(ListenBacklog), ListenBacklog, "at least 1");
        Require(MaxPartialFrameBytes >= MaxFrameLengthBytes, nameof(MaxPartialFrameBytes), MaxPartialFrameBytes, "at least MaxFrameLengthBytes");
        Require(FrameReadTimeout >= TimeSpan.Zero, nameof(FrameReadTimeout), FrameReadTimeout, "zero (off) or positive");
        Require(IdleTimeout >= TimeSpan.Zero, nameof(IdleTimeout), IdleTimeout, "zero (off) or positive");
        DefaultGroup.Validate();
    }

    internal static void Require(bool condition, string key, object value, string expectation)
    {
        if (!condition) throw new ArgumentOutOfRangeException(key, value, $"Remoting option {key} = {value} must be {expectation}.");
    }
}

/// <summary>Settings of a <see cref="RemotingClient"/>.</summary>
public sealed record RemotingClientOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxFrameLengthBytes { get; init; } = FrameCodec.DefaultMaxFrameLength;

    public int ConnectionWriteQueueCapacity { get; init; } = 4096;

    public int MaxWriteBatchBytes { get; init; } = 256 * 1024;

    /// <summary>Workers and queue for server-initiated requests (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED).</summary>
    public ProcessorGroupOptions RequestHandlerGroup { get; init; } = new("client-callbacks", WorkerCount: 2, QueueCapacity: 1024);

    public Action<RemotingDiagnosticEvent>? Diagnostics { get; init; }

    /// <summary>Called on every request this client sends, just before it is queued (plain-ACL signing); null sends as is.</summary>
    public Action<RemotingCommand>? RequestSigner { get; init; }

    /// <summary>TLS of every connection this client opens (the server's certificate is checked against the host of the
    /// address); null: plaintext.</summary>
    public ClientTls? Tls { get; init; }

    public void Validate()
    {
        RemotingServerOptions.Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), ConnectTimeout, "positive");
        RemotingServerOptions.Require(MaxFrameLengthBytes >= 1024, nameof(MaxFrameLengthBytes), MaxFrameLengthBytes, "at least 1024");
        RemotingServerOptions.Require(ConnectionWriteQueueCapacity >= 1, nameof(ConnectionWriteQueueCapacity), ConnectionWriteQueueCapacity, "at least 1");
        RemotingServerOptions.Require(MaxWriteBatchBytes >= 1024, nameof(MaxWriteBatchBytes), MaxWriteBatchBytes, "at least 1024");
        RequestHandlerGroup.Validate();
    }
}
