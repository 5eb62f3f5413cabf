using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Hosting;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Registration;

/// <summary>
/// Keeps the broker registered with every configured name server: at start, every
/// <see cref="NameServerRegistrarOptions.RegisterPeriod"/>, and at once on <see cref="RegisterNowAsync"/> (called on
/// every role change, so a new leader shows up as id 0 within one round trip). Each registration takes a fresh
/// <see cref="BrokerRegistration"/> from the snapshot provider. Name servers are served independently and in
/// parallel; demands that arrive while a registration is in flight are coalesced into one follow-up.
/// </summary>
public sealed class NameServerRegistrar : INameServerRegistrar, IAsyncDisposable
{
    private readonly NameServerRegistrarOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RemotingClient _client;
    private readonly NameServerLink[] _links;
    private readonly CancellationTokenSource _stopping = new();
    private Task _periodic = Task.CompletedTask;
    private int _state; // 0 created, 1 started, 2 stopped

    public NameServerRegistrar(NameServerRegistrarOptions options, Func<BrokerRegistration> snapshot,
        ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(snapshot);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var connectTimeout = options.RequestTimeout < TimeSpan.FromSeconds(3) ? options.RequestTimeout : TimeSpan.FromSeconds(3);
        _client = new RemotingClient(new RemotingClientOptions
        {
            ConnectTimeout = connectTimeout,
            RequestSigner = options.Credentials is { } credentials ? request => RaftMq.Protocol.Acl.AclSignature.Sign(request, credentials) : null,
            Tls = options.Tls,
        });
        var versions = new TopicTableVersion(_time);
        _links = options.NameServerAddresses
            .Select(address => new NameServerLink(address, _client, snapshot, versions, options.RequestTimeout, _logger))
            .ToArray();
    }

    /// <summary>Starts periodic registration; the first round begins at once and this does not wait for it.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("The registrar was already started.");
        LogMessages.Started(_logger, string.Join(';', _options.NameServerAddresses), (long)_options.RegisterPeriod.TotalMilliseconds);
        var token = _stopping.Token;
        _periodic = Task.Run(() => RegisterPeriodicallyAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Registers with every name server now; completes when each has answered, failed or timed out. A
    /// no-op before start and after stop. Never throws.</summary>
    public Task RegisterNowAsync()
    {
        if (Volatile.Read(ref _state) != 1) return Task.CompletedTask;
        var rounds = new Task[_links.Length];
        for (int i = 0; i < _links.Length; i++) rounds[i] = _links[i].RegisterNowAsync();
        return Task.WhenAll(rounds);
    }

    /// <summary>Stops registering, then unregisters from every name server in parallel (best effort, each bounded by
    /// the request timeout) and closes the connections, which makes name servers drop this broker anyway.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _periodic.ConfigureAwait(false);
        await Task.WhenAll(_links.Select(link => link.StopAsync())).ConfigureAwait(false);
        await Task.WhenAll(_links.Select(link => link.UnregisterAsync(cancellationToken))).ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        LogMessages.Stopped(_logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task RegisterPeriodicallyAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            // Not awaited: a hung name server must not stretch the period for the others; its own runner
            // coalesces the demands that pile up meanwhile.
            _ = RegisterNowAsync();
            try
            {
                await Task.Delay(_options.RegisterPeriod, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
