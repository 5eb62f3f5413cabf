using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// Sends a request a follower cannot serve to the group's leader over one broker-to-broker connection and hands back
/// the leader's answer unchanged (code, remark, extFields, body), plus the <see cref="RaftMqExtFields.LeaderAddress"/>
/// hint. Bounded: at most <see cref="ForwardingOptions.MaxInFlightRequests"/> requests and
/// <see cref="ForwardingOptions.MaxInFlightBytes"/> body bytes wait for the leader; beyond that SYSTEM_BUSY at once.
/// A request is sent to the leader at most once: it is re-sent only when the leader certainly did not take it
/// (connection refused, "not master"); a timeout or a lost connection is answered as an unknown outcome.
/// </summary>
public sealed class LeaderForwarder : IAsyncDisposable
{
    private static readonly TimeSpan NotMasterPause = TimeSpan.FromMilliseconds(20);

    private readonly ForwardingOptions _options;
    private readonly string _selfAddress;
    private readonly ILogger _logger;
    private readonly RemotingClient _client;
    private readonly LeaderLocator _locator;
    private readonly ForwardingMetrics _metrics;
    private long _inFlightRequests;
    private long _inFlightBytes;
    private long _lastStarted = long.MinValue;

    /// <param name="tls">TLS towards the name servers and the leader (the broker's tls.client.* side); null: plaintext.</param>
    public LeaderForwarder(ForwardingOptions options, IReadOnlyList<string> nameServers, string brokerName, string selfAddress, ILogger logger,
        RaftMq.Protocol.Tls.ClientTls? tls = null)
    {
        _options = options;
        _selfAddress = selfAddress;
        _logger = logger;
        _client = new RemotingClient(new RemotingClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1), Tls = tls });
        _locator = new LeaderLocator(_client, nameServers, brokerName, selfAddress);
        _metrics = new ForwardingMetrics(() => Interlocked.Read(ref _inFlightRequests));
    }

    public ForwardingOptions Options => _options;

    /// <summary>Forwarded requests waiting for the leader right now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlightRequests);

    /// <summary>
    /// Forwards <paramref name="request"/> to the leader <paramref name="leaderId"/> and returns the answer for the
    /// client (null for a oneway request).
    /// </summary>
    public async ValueTask<RemotingCommand?> ForwardAsync(RemotingCommand request, string leaderId, CancellationToken cancellationToken)
    {
        long bytes = request.Body.Length;
        if (!TryAdmit(bytes))
        {
            _metrics.Count(ForwardOutcome.Busy);
            return request.CreateResponse(ResponseCode.SystemBusy,
                "[OVERLOAD] too many requests are being forwarded to the leader; retry later");
        }
        long started = Environment.TickCount64;
        Volatile.Write(ref _lastStarted, started);
        try
        {
            var answer = await ForwardAdmittedAsync(request, leaderId, started + (long)_options.Timeout.TotalMilliseconds, cancellationToken)
                .ConfigureAwait(false);
            if (answer.Outcome == ForwardOutcome.Relayed) _metrics.Relayed(Environment.TickCount64 - started);
            _metrics.Count(answer.Outcome);
            return answer.Response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightRequests);
            Interlocked.Add(ref _inFlightBytes, -bytes);
        }
    }

    /// <summary>
    /// Waits until nothing was forwarded for <paramref name="quiet"/> and nothing is in flight, at most
    /// <paramref name="limit"/>. A node that handed over uses it before closing its connections: clients still
    /// routed to it get their forwarded answers (with the hint that moves the RaftMq client to the leader) instead of a
    /// closed connection.
    /// </summary>
    public async Task WaitIdleAsync(TimeSpan quiet, TimeSpan limit)
    {
        long called = Environment.TickCount64;
        long deadline = called + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            // Quiet counts from the call too: requests held during the hand-over may not have been forwarded yet.
            long idleSince = Math.Max(called, Volatile.Read(ref _lastStarted));
            if (InFlight == 0 && Environment.TickCount64 - idleSince >= quiet.TotalMilliseconds) return;
            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    private bool TryAdmit(long bytes)
    {
        bool admitted = Interlocked.Increment(ref _inFlightRequests) <= _options.MaxInFlightRequests
            & Interlocked.Add(ref _inFlightBytes, bytes) <= Math.Max(_options.MaxInFlightBytes, bytes);
        if (admitted) return true;
        Interlocked.Decrement(ref _inFlightRequests);
        Interlocked.Add(ref _inFlightBytes, -bytes);
        return false;
    }

    private async ValueTask<(RemotingCommand? Response, ForwardOutcome Outcome)> ForwardAdmittedAsync(
        RemotingCommand request, string leaderId, long deadline, CancellationToken cancellationToken)
    {
        RemotingCommand? refusal = null;
        while (true)
        {
            string? address = await _locator.ResolveAsync(leaderId, deadline, cancellationToken).ConfigureAwait(false);
            long remaining = deadline - Environment.TickCount64;
            if (address is null || remaining <= 0)
            {
                LogMessages.LeaderAddressUnknown(_logger, leaderId, request.Code);
                return (refusal ?? NoLeader(request, leaderId), ForwardOutcome.NoLeader);
            }
            var copy = CopyForLeader(request);
            RemotingCommand reply;
            try
            {
                if (request.IsOneway)
                {
                    await _client.InvokeOnewayAsync(address, copy, cancellationToken).ConfigureAwait(false);
                    return (null, ForwardOutcome.Relayed);
                }
                reply = await _client.InvokeAsync(address, copy, TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false);
            }
            catch (RemotingConnectException)
            {
                _locator.Forget(address); // nothing was sent: finding the leader again is safe
                continue;
            }
            catch (RemotingException ex)
            {
                LogMessages.ForwardOutcomeUnknown(_logger, request.Code, leaderId, address, ex.Message);
                return (UnknownOutcome(request, address, ex), ForwardOutcome.Unknown);
            }
            if (IsNotMaster(reply))
            {
                // The node we reached is not (or not yet) the writable leader and took nothing: look again.
                _locator.Forget(address);
                refusal = reply;
                await Task.Delay(NotMasterPause, cancellationToken).ConfigureAwait(false);
                continue;
            }
            reply.ExtFields.Set(RaftMqExtFields.LeaderAddress, address);
            return (reply, ForwardOutcome.Relayed);
        }
    }

    private RemotingCommand CopyForLeader(RemotingCommand request)
    {
        var copy = new RemotingCommand
        {
            Code = request.Code,
            Language = request.Language,
            Version = request.Version,
            Opaque = RemotingCommand.NextOpaque(),
            Flag = request.Flag,
            Remark = request.Remark,
            Body = request.Body,
            SerializeType = request.SerializeType,
        };
        var fields = new StringMap((request.ExtFieldsOrNull?.Count ?? 0) + 1);
        if (request.ExtFieldsOrNull is { } original)
        {
            foreach (var field in original) fields.Set(field.Key, field.Value);
        }
        fields.Set(RaftMqExtFields.ForwardedBy, _selfAddress);
        copy.SetExtFields(fields);
        return copy;
    }

    internal static bool IsNotMaster(RemotingCommand reply) =>
        reply.Code == ResponseCode.ServiceNotAvailable && reply.Remark?.Contains("not master", StringComparison.Ordinal) == true;

    private static RemotingCommand NoLeader(RemotingCommand request, string leaderId) =>
        request.CreateResponse(ResponseCode.ServiceNotAvailable,
            $"this node is not master; the address of leader {leaderId} is not known yet (election or registration in progress)");

    private RemotingCommand UnknownOutcome(RemotingCommand request, string address, RemotingException ex) =>
        request.CreateResponse(ResponseCode.SystemError, string.Create(CultureInfo.InvariantCulture,
            $"unknown outcome: forwarded to the leader at {address}, which did not answer within {_options.Timeout.TotalMilliseconds:0} ms or lost the connection ({ex.GetType().Name}); it may or may not take effect"));
}
