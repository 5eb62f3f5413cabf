using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tests.Remoting;
using RaftMq.Protocol.Tls;
using RaftMq.Tests.Tls;

namespace RaftMq.Protocol.Tests.Tls;

/// <summary>
/// A remoting server with TLS: the mode decides from the client's first byte (enforcing refuses plaintext with a
/// diagnostic and keeps serving, permissive serves both on one port), certificates are checked both ways.
/// </summary>
public class RemotingTlsTests
{
    private static readonly X509Certificate2 Authority = TestCertificates.CreateAuthority("raftmq test CA");
    private static readonly X509Certificate2 ServerCertificate = TestCertificates.Issue(Authority, "raftmq server");
    private static readonly X509Certificate2 ClientCertificate = TestCertificates.Issue(Authority, "raftmq client");
    private static readonly ClientTls TrustingClient = new(verifyServer: true, [Authority], certificate: null);

    [Fact]
    public async Task An_enforcing_server_serves_a_tls_client()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Enforcing);
        await using var client = new RemotingClient(new RemotingClientOptions { Tls = TrustingClient });

        var response = await client.InvokeAsync(server.Address, RemotingTestKit.Request(100, "secret"), RemotingTestKit.Deadline);

        Assert.Equal(("secret", true), (response.ExtFields["value"], server.Opened.Single().IsTls));
    }

    [Fact]
    public async Task An_enforcing_server_refuses_a_plaintext_client_with_a_diagnostic_and_keeps_serving()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Enforcing);
        await using var plaintext = new RemotingClient(new RemotingClientOptions());

        var failure = await Assert.ThrowsAnyAsync<RemotingException>(() =>
            plaintext.InvokeAsync(server.Address, RemotingTestKit.Request(100, "in clear"), RemotingTestKit.Deadline));

        // The client sees only a closed connection; it says what the likely cause is.
        Assert.Contains(RemotingConnection.TlsHint, failure.Message, StringComparison.Ordinal);
        // The server records its diagnostic after closing the connection, so the client can see the close first.
        await RemotingTestKit.WaitUntilAsync(() => server.Events.Any(e => e.Kind == RemotingDiagnosticKind.TlsRefused), "the server recorded the refusal");
        var refusal = Assert.Single(server.Events, e => e.Kind == RemotingDiagnosticKind.TlsRefused);
        Assert.Contains("plaintext connection refused", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(server.Handled);
        await using var secure = new RemotingClient(new RemotingClientOptions { Tls = TrustingClient });
        var response = await secure.InvokeAsync(server.Address, RemotingTestKit.Request(100, "after"), RemotingTestKit.Deadline);
        Assert.Equal("after", response.ExtFields["value"]);
    }

    [Fact]
    public async Task A_permissive_server_serves_tls_and_plaintext_clients_on_one_port()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Permissive);
        await using var secure = new RemotingClient(new RemotingClientOptions { Tls = TrustingClient });
        await using var plaintext = new RemotingClient(new RemotingClientOptions());

        var overTls = await secure.InvokeAsync(server.Address, RemotingTestKit.Request(100, "tls"), RemotingTestKit.Deadline);
        var inClear = await plaintext.InvokeAsync(server.Address, RemotingTestKit.Request(100, "plain"), RemotingTestKit.Deadline);

        Assert.Equal(("tls", "plain"), (overTls.ExtFields["value"], inClear.ExtFields["value"]));
        Assert.Equal([false, true], server.Opened.Select(c => c.IsTls).Order());
    }

    [Fact]
    public async Task A_client_refuses_a_server_whose_certificate_it_does_not_trust()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Enforcing);
        var otherAuthority = TestCertificates.CreateAuthority("another CA");
        await using var client = new RemotingClient(new RemotingClientOptions { Tls = new ClientTls(true, [otherAuthority], null) });

        var failure = await Assert.ThrowsAsync<RemotingConnectException>(() =>
            client.InvokeAsync(server.Address, RemotingTestKit.Request(100), RemotingTestKit.Deadline));

        Assert.Contains("TLS handshake failed", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.Handled);
    }

    [Fact]
    public async Task Skipping_verification_accepts_an_untrusted_server_certificate()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Enforcing);
        await using var client = new RemotingClient(new RemotingClientOptions { Tls = new ClientTls(verifyServer: false, null, null) });

        var response = await client.InvokeAsync(server.Address, RemotingTestKit.Request(100, "insecure"), RemotingTestKit.Deadline);

        Assert.Equal("insecure", response.ExtFields["value"]);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_and_serves_one_with_a_trusted_certificate()
    {
        await using var server = await TlsServer.StartAsync(TlsMode.Enforcing, TlsClientAuth.Require);
        await using var anonymous = new RemotingClient(new RemotingClientOptions { Tls = TrustingClient });
        await using var identified = new RemotingClient(new RemotingClientOptions { Tls = new ClientTls(true, [Authority], ClientCertificate) });

        await Assert.ThrowsAnyAsync<RemotingException>(() =>
            anonymous.InvokeAsync(server.Address, RemotingTestKit.Request(100, "anonymous"), RemotingTestKit.Deadline));
        var response = await identified.InvokeAsync(server.Address, RemotingTestKit.Request(100, "identified"), RemotingTestKit.Deadline);

        Assert.Equal("identified", response.ExtFields["value"]);
        Assert.Equal(["identified"], server.Handled);
        // The client may see the server's TLS alert before the server reports the refusal.
        await RemotingTestKit.WaitUntilAsync(() => server.Events.Any(e => e.Kind == RemotingDiagnosticKind.TlsRefused), "the refusal was reported");
    }

    [Theory]
    [InlineData(false, TlsMode.Disabled, null)]
    [InlineData(true, TlsMode.Disabled, "TLS connection refused")]
    [InlineData(false, TlsMode.Permissive, null)]
    [InlineData(true, TlsMode.Permissive, null)]
    [InlineData(false, TlsMode.Enforcing, "plaintext connection refused")]
    [InlineData(true, TlsMode.Enforcing, null)]
    public void The_mode_decides_which_first_bytes_are_served(bool speaksTls, TlsMode mode, string? refusal)
    {
        string? actual = RemotingServer.RefusalFor(speaksTls, mode);
        if (refusal is null) Assert.Null(actual);
        else Assert.StartsWith(refusal, actual, StringComparison.Ordinal);
    }

    /// <summary>A server echoing code 100 over TLS, recording connections, handled values and diagnostics.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly RemotingServer _server;

        private TlsServer(TlsMode mode, TlsClientAuth clientAuth)
        {
            _server = new RemotingServer(new RemotingServerOptions
            {
                ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                Diagnostics = Diagnostics.Enqueue,
                Tls = new ServerTls(mode, ServerCertificate, [], clientAuth, verifyClient: true, [Authority]),
            });
            _server.ConnectionOpened += OpenedQueue.Enqueue;
            _server.RegisterHandler(100, new DelegateHandler((_, request) =>
            {
                HandledQueue.Enqueue(request.ExtFields["value"] ?? "");
                var response = request.CreateResponse(ResponseCode.Success);
                response.ExtFields.Set("value", request.ExtFields["value"] ?? "");
                return ValueTask.FromResult<RemotingCommand?>(response);
            }));
        }

        private ConcurrentQueue<RemotingDiagnosticEvent> Diagnostics { get; } = new();
        private ConcurrentQueue<RemotingConnection> OpenedQueue { get; } = new();
        private ConcurrentQueue<string> HandledQueue { get; } = new();

        public string Address => $"127.0.0.1:{_server.LocalEndPoint.Port}";
        public IReadOnlyList<RemotingDiagnosticEvent> Events => Diagnostics.ToArray();
        public IReadOnlyList<RemotingConnection> Opened => OpenedQueue.ToArray();
        public IReadOnlyList<string> Handled => HandledQueue.ToArray();

        public static async Task<TlsServer> StartAsync(TlsMode mode, TlsClientAuth clientAuth = TlsClientAuth.None)
        {
            var server = new TlsServer(mode, clientAuth);
            await server._server.StartAsync();
            return server;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
