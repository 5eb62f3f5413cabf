using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

internal sealed partial class ClientInstance
{
    private readonly ConcurrentDictionary<string, TopicRoute> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedDictionary<long, string>> _brokerAddresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TopicRoute?>>> _refreshing = new(StringComparer.Ordinal);
    private int _nameServerIndex;

    /// <summary>The cached route, or a fresh one from the name server; null when the topic does not exist.</summary>
    public async Task<TopicRoute?> GetRouteAsync(string topic, CancellationToken cancellationToken) =>
        _routes.TryGetValue(topic, out var route) ? route : await RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Re-reads the route from the name servers now. Concurrent callers for one topic share a single request, so a
    /// burst of failures ("not master", refused connections) costs one lookup.
    /// </summary>
    public Task<TopicRoute?> RefreshRouteAsync(string topic, CancellationToken cancellationToken) =>
        _refreshing.GetOrAdd(topic, t => new Lazy<Task<TopicRoute?>>(() => FetchRouteOnceAsync(t))).Value.WaitAsync(cancellationToken);

    /// <summary>Address of the master (broker id 0) of <paramref name="brokerName"/>, or null when it has none.</summary>
    public string? FindMasterAddress(string brokerName) =>
        _brokerAddresses.TryGetValue(brokerName, out var addresses) ? addresses.GetValueOrDefault(0) : null;

    /// <summary>Every broker of <paramref name="brokerName"/> the routes list, by broker id; null when none is known.</summary>
    public IReadOnlyDictionary<long, string>? FindBrokerAddresses(string brokerName) =>
        _brokerAddresses.TryGetValue(brokerName, out var addresses) ? addresses : null;

    /// <summary>The master's address, refreshing <paramref name="topic"/>'s route once when none is known.</summary>
    public async Task<string> FindMasterAddressOrRefreshAsync(string brokerName, string topic, CancellationToken cancellationToken)
    {
        if (FindMasterAddress(brokerName) is { } address) return address;
        await RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        return FindMasterAddress(brokerName)
            ?? throw new MQClientException($"Broker {brokerName} has no master in the route of topic {topic}.");
    }

    /// <summary>Every known broker address (all ids) or only masters.</summary>
    public List<string> KnownBrokerAddresses(bool mastersOnly)
    {
        var result = new List<string>();
        foreach (var addresses in _brokerAddresses.Values)
        {
            foreach (var (id, address) in addresses)
            {
                if ((!mastersOnly || id == 0) && !result.Contains(address)) result.Add(address);
            }
        }
        return result;
    }

    /// <summary>
    /// Sends a request to the name servers, starting with the last one that answered and moving on when one is
    /// unreachable. Returns the first answer, whatever its code.
    /// </summary>
    public async Task<RemotingCommand> InvokeNameServerAsync(Func<RemotingCommand> createRequest, CancellationToken cancellationToken)
    {
        var addresses = Options.NameServerAddresses;
        Exception? last = null;
        int start = Volatile.Read(ref _nameServerIndex);
        for (int i = 0; i < addresses.Count; i++)
        {
            int index = (start + i) % addresses.Count;
            try
            {
                var response = await Remoting.InvokeAsync(addresses[index], createRequest(), Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _nameServerIndex, index);
                return response;
            }
            catch (RemotingException ex)
            {
                _logger.NameServerUnreachable(addresses[index], ex.Message);
                last = ex;
            }
        }
        throw new MQClientException("No name server answered: " + last?.Message, last);
    }

    /// <summary>One shared lookup: it leaves the table when done, so the next refresh asks the name server again.</summary>
    private async Task<TopicRoute?> FetchRouteOnceAsync(string topic)
    {
        // Yield first so the lookup is in the table before it can finish and remove itself.
        await Task.Yield();
        try
        {
            return await FetchRouteAsync(topic).ConfigureAwait(false);
        }
        catch (RemotingProtocolException ex)
        {
            throw new MQClientException($"Route of topic {topic} is malformed: {ex.Message}", ex);
        }
        finally
        {
            _refreshing.TryRemove(topic, out _);
        }
    }

    private async Task<TopicRoute?> FetchRouteAsync(string topic)
    {
        var response = await InvokeNameServerAsync(() => RouteRequest(topic), _stopping.Token).ConfigureAwait(false);
        if (response.Code == ResponseCode.TopicNotExist)
        {
            _logger.TopicNotFound(topic);
            return null;
        }
        if (response.Code != ResponseCode.Success) throw new MQBrokerException(response.Code, response.Remark, "name server");
        var data = ProtocolJson.Decode<TopicRouteData>(response.Body.Span);
        var route = TopicRoute.Build(topic, data);
        bool newAddresses = UpdateBrokerAddresses(data);
        var previous = _routes.TryGetValue(topic, out var old) ? old : null;
        _routes[topic] = route;
        string description = route.Describe();
        if (previous is null || previous.Describe() != description) _logger.RouteChanged(topic, description);
        if (newAddresses) RequestHeartbeat();
        return route;
    }

    private static RemotingCommand RouteRequest(string topic)
    {
        var request = BrokerApi.Request(RequestCode.GetRouteInfoByTopic);
        new GetRouteInfoRequestHeader { Topic = topic, AcceptStandardJsonOnly = true }.ToExtFields(request.ExtFields);
        return request;
    }

    /// <summary>Replaces the address table entries of the route's broker groups; true when an address is new.</summary>
    private bool UpdateBrokerAddresses(TopicRouteData data)
    {
        bool added = false;
        foreach (var broker in data.BrokerDatas)
        {
            var fresh = new SortedDictionary<long, string>(broker.BrokerAddrs);
            var old = _brokerAddresses.GetValueOrDefault(broker.BrokerName);
            foreach (var address in fresh.Values)
            {
                if (old is null || !old.ContainsValue(address)) added = true;
            }
            _brokerAddresses[broker.BrokerName] = fresh;
        }
        return added;
    }

    private async Task RefreshAllRoutesAsync(CancellationToken cancellationToken)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _members.Keys) topics.UnionWith(member.RouteTopics);
        foreach (string topic in topics)
        {
            try
            {
                await RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQException or RemotingProtocolException)
            {
                _logger.RouteRefreshFailed(topic, ex.Message);
            }
        }
    }
}
