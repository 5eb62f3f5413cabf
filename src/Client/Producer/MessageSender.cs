using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Producer;

/// <summary>
/// The send path shared by producers and by consumers that re-send failed messages to %RETRY%: queue selection
/// with fault avoidance, retries on another queue, immediate route refresh when a broker is not (or no longer) the
/// master or cannot be reached, and the distinction between "refused" (retried) and "outcome unknown" (thrown).
/// </summary>
internal sealed partial class MessageSender
{
    private readonly ClientInstance _instance;
    private readonly ProducerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LatencyFaultTolerance _faults;
    private readonly ConcurrentDictionary<string, TopicRoute> _templateRoutes = new(StringComparer.Ordinal);
    private readonly SendTracer? _tracer;

    public MessageSender(ClientInstance instance, ProducerOptions options, ILogger logger, TimeProvider time, SendTracer? tracer = null)
    {
        _instance = instance;
        _tracer = tracer;
        _options = options;
        _logger = logger;
        _time = time;
        _faults = new LatencyFaultTolerance(options.FaultIsolationDuration, time);
    }

    /// <summary>Topics this sender has sent to (their routes are kept fresh).</summary>
    public ConcurrentDictionary<string, byte> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends with retries. <paramref name="selector"/> picks the queue from the writable list (ordered messages);
    /// null lets the sender pick, avoiding the broker that just failed and addresses marked faulty.
    /// </summary>
    public async Task<SendResult> SendAsync(
        WireMessage wire, Func<IReadOnlyList<MessageQueue>, MessageQueue>? selector, CancellationToken cancellationToken)
    {
        Topics.TryAdd(wire.Topic, 0);
        int attempts = 1 + _options.RetryTimesWhenSendFailed;
        string? failedBroker = null;
        string? failedAddress = null;
        MQException? last = null;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            TopicRoute route;
            try
            {
                route = await GetPublishRouteAsync(wire.Topic, cancellationToken).ConfigureAwait(false);
            }
            catch (MQClientException ex) when (attempt < attempts)
            {
                // No writable queue right now, e.g. while a group elects its new leader: wait a little, look again.
                last = ex;
                await Task.Delay(_options.RetryBackoff, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var queue = selector is null ? SelectQueue(route, failedBroker) : selector(route.WritableQueues);
            string? address = _instance.FindMasterAddress(queue.BrokerName);
            if (address is null)
            {
                last = new MQClientException(ResponseCode.ServiceNotAvailable, $"Broker {queue.BrokerName} has no master.");
                await RefreshQuietlyAsync(wire.Topic, cancellationToken).ConfigureAwait(false);
                await Task.Delay(_options.RetryBackoff, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (address == failedAddress && _options.RetryBackoff > TimeSpan.Zero)
            {
                await Task.Delay(_options.RetryBackoff, _time, cancellationToken).ConfigureAwait(false);
            }
            long startedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            long started = _time.GetTimestamp();
            var (result, error) = await SendOnceAsync(wire, queue, address, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                if (wire.Traced is { } traced) _tracer?.OnSent(traced, address, result, startedUnixMs, (long)_time.GetElapsedTime(started).TotalMilliseconds);
                return result;
            }
            last = error;
            failedBroker = queue.BrokerName;
            failedAddress = address;
            _faults.OnFailure(address);
            _logger.SendRetrying(wire.Topic, address, attempt, error!.Message);
            await RefreshQuietlyAsync(wire.Topic, cancellationToken).ConfigureAwait(false);
        }
        throw last ?? new MQClientException($"Send to {wire.Topic} failed.");
    }

    /// <summary>Sends without waiting for a reply; only a refused connection is retried (elsewhere).</summary>
    public async Task SendOnewayAsync(WireMessage wire, Func<IReadOnlyList<MessageQueue>, MessageQueue>? selector, CancellationToken cancellationToken)
    {
        Topics.TryAdd(wire.Topic, 0);
        string? failedBroker = null;
        for (int attempt = 1; ; attempt++)
        {
            var route = await GetPublishRouteAsync(wire.Topic, cancellationToken).ConfigureAwait(false);
            var queue = selector is null ? SelectQueue(route, failedBroker) : selector(route.WritableQueues);
            string address = await _instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, wire.Topic, cancellationToken).ConfigureAwait(false);
            try
            {
                await _instance.Remoting.InvokeOnewayAsync(address, BuildRequest(wire, queue), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RemotingConnectException ex) when (attempt <= _options.RetryTimesWhenSendFailed)
            {
                failedBroker = queue.BrokerName;
                _faults.OnFailure(address);
                _logger.SendRetrying(wire.Topic, address, attempt, ex.Message);
                await RefreshQuietlyAsync(wire.Topic, cancellationToken).ConfigureAwait(false);
            }
            catch (RemotingException ex)
            {
                throw new MQClientException($"Oneway send to {address} failed: {ex.Message}", ex);
            }
        }
    }

    /// <summary>The writable queues of <paramref name="topic"/> (from the auto-create template when the topic is new).</summary>
    public async Task<TopicRoute> GetPublishRouteAsync(string topic, CancellationToken cancellationToken)
    {
        var route = await FindPublishRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        if (route is { WritableQueues.Count: > 0 }) return route;
        await RefreshQuietlyAsync(topic, cancellationToken).ConfigureAwait(false);
        route = await FindPublishRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        return route is { WritableQueues.Count: > 0 }
            ? route
            : throw new MQClientException(ResponseCode.TopicNotExist, $"No route with a writable queue for topic {topic}.");
    }

    private async Task<TopicRoute?> FindPublishRouteAsync(string topic, CancellationToken cancellationToken)
    {
        var route = await _instance.GetRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        if (route is not null)
        {
            _templateRoutes.TryRemove(topic, out _);
            return route;
        }
        if (_templateRoutes.TryGetValue(topic, out var templated)) return templated;
        if (_options.CreateTopicKey is not { } templateTopic) return null;
        var template = await _instance.GetRouteAsync(templateTopic, cancellationToken).ConfigureAwait(false);
        if (template is null) return null;
        _logger.UsingTemplateRoute(topic, templateTopic);
        templated = TopicRoute.Build(topic, template.Data, _options.DefaultTopicQueueNums);
        _templateRoutes[topic] = templated;
        return templated;
    }

    private MessageQueue SelectQueue(TopicRoute route, string? failedBroker)
    {
        var queues = route.WritableQueues;
        int start = route.NextSendIndex();
        if (_options.LatencyFaultToleranceEnabled)
        {
            for (int i = 0; i < queues.Count; i++)
            {
                var candidate = queues[(start + i) % queues.Count];
                if (candidate.BrokerName == failedBroker) continue;
                if (_instance.FindMasterAddress(candidate.BrokerName) is { } address && _faults.IsAvailable(address)) return candidate;
            }
        }
        for (int i = 0; i < queues.Count; i++)
        {
            var candidate = queues[(start + i) % queues.Count];
            if (candidate.BrokerName != failedBroker) return candidate;
        }
        return queues[start % queues.Count];
    }

    private async Task<(SendResult? Result, MQException? Error)> SendOnceAsync(
        WireMessage wire, MessageQueue queue, string address, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        RemotingCommand response;
        try
        {
            response = await _instance.Remoting.InvokeAsync(address, BuildRequest(wire, queue), _options.SendTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemotingConnectException || ex is RemotingSendException { InnerException: ChannelClosedException })
        {
            // Refused, or the connection closed before the request was queued: it never left, so retrying is safe.
            return (null, new MQClientException(ResponseCode.ServiceNotAvailable, $"Cannot send to broker {address}: {ex.Message}", ex));
        }
        catch (RemotingException ex)
        {
            // The request may have been written: retrying could store it twice, so report the unknown outcome.
            _faults.OnFailure(address);
            _logger.SendOutcomeUnknown(wire.Topic, address, ex.Message);
            _ = RefreshQuietlyAsync(wire.Topic, CancellationToken.None);
            throw new SendOutcomeUnknownException(address, $"Send to {wire.Topic} via {address} has an unknown outcome: {ex.Message}", ex);
        }
        switch (response.Code)
        {
            case ResponseCode.Success or ResponseCode.FlushDiskTimeout or ResponseCode.FlushSlaveTimeout or ResponseCode.SlaveNotAvailable:
                _faults.OnSuccess(address, _time.GetElapsedTime(started));
                // A RaftMq follower relayed this from its leader: our route is stale, re-read it now rather than in 30 s.
                if (response.ExtFieldsOrNull?.ContainsKey(RaftMqExtFields.LeaderAddress) == true) _ = RefreshQuietlyAsync(wire.Topic, CancellationToken.None);
                return (ToResult(response, wire, queue), null);
            case ResponseCode.SystemError when response.Remark?.StartsWith("unknown outcome", StringComparison.Ordinal) == true:
                // The broker appended it but does not know whether it committed: a retry could store it twice.
                throw new SendOutcomeUnknownException(address, $"Send to {wire.Topic} via {address} has an unknown outcome: {response.Remark}",
                    new MQBrokerException(response.Code, response.Remark, address));
            case var code when IsRetriable(code):
                return (null, new MQBrokerException(response.Code, response.Remark, address));
            default:
                // Permanent refusals (NO_PERMISSION 16, MESSAGE_ILLEGAL 13, ...) fail at once: another attempt would be refused too.
                throw new MQBrokerException(response.Code, response.Remark, address);
        }
    }

    /// <summary>Codes another attempt (on another queue or a refreshed master) may get past: busy, not master, a route
    /// that is not there yet, and generic system errors.</summary>
    internal static bool IsRetriable(int responseCode) =>
        responseCode is ResponseCode.SystemError or ResponseCode.SystemBusy or ResponseCode.ServiceNotAvailable or ResponseCode.TopicNotExist;

    /// <summary>Re-reads the route (and the template route standing in for a new topic); failures only logged.</summary>
    private async Task RefreshQuietlyAsync(string topic, CancellationToken cancellationToken)
    {
        try
        {
            var route = await _instance.RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false);
            if (route is null && _options.CreateTopicKey is { } templateTopic && _templateRoutes.TryRemove(topic, out _))
            {
                await _instance.RefreshRouteAsync(templateTopic, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MQException ex)
        {
            _logger.RouteRefreshFailed(topic, ex.Message);
        }
    }
}
