using Microsoft.Extensions.Logging;
using RaftMq.Broker.Hosting;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Registration;

/// <summary>
/// Registration with one name server. Each name server has its own coalescing runner, so a slow or dead one never
/// holds back registrations with the others, and demands made while it is slow collapse into one retry.
/// </summary>
internal sealed class NameServerLink
{
    private readonly string _address;
    private readonly RemotingClient _client;
    private readonly Func<BrokerRegistration> _snapshot;
    private readonly TopicTableVersion _versions;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly CoalescingRunner _runner;

    // Written only by registration runs, which the runner serializes; read by UnregisterAsync after StopAsync.
    private BrokerRegistration? _lastAttempted;
    private (long BrokerId, string Address, long Counter)? _lastRegistered;
    private int _failures;

    public NameServerLink(string address, RemotingClient client, Func<BrokerRegistration> snapshot,
        TopicTableVersion versions, TimeSpan timeout, ILogger logger)
    {
        _address = address;
        _client = client;
        _snapshot = snapshot;
        _versions = versions;
        _timeout = timeout;
        _logger = logger;
        _runner = new CoalescingRunner(RegisterOnceAsync);
    }

    public Task RegisterNowAsync() => _runner.RunAsync();

    /// <summary>Cancels a registration in flight and refuses new ones.</summary>
    public Task StopAsync() => _runner.StopAsync();

    /// <summary>Best effort: tells the name server to forget the identity this link last registered.</summary>
    public async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastAttempted) is not { } broker) return;
        try
        {
            var response = await _client.InvokeAsync(_address, RegistrationRequests.Unregister(broker), _timeout, cancellationToken).ConfigureAwait(false);
            if (response.Code == ResponseCode.Success) LogMessages.Unregistered(_logger, _address, broker.BrokerName, broker.BrokerId, broker.BrokerAddress);
            else LogMessages.UnregisterFailed(_logger, _address, $"code {response.Code}: {response.Remark}");
        }
        catch (Exception ex) when (ex is RemotingException or OperationCanceledException)
        {
            LogMessages.UnregisterFailed(_logger, _address, ex.Message);
        }
    }

    private async Task RegisterOnceAsync(CancellationToken stopping)
    {
        BrokerRegistration broker;
        try
        {
            broker = _snapshot();
        }
        catch (Exception ex)
        {
            LogMessages.SnapshotFailed(_logger, ex);
            return;
        }
        var topics = _versions.Stamp(broker.Topics);
        Volatile.Write(ref _lastAttempted, broker);
        try
        {
            var response = await _client.InvokeAsync(_address, RegistrationRequests.Register(broker, topics), _timeout, stopping).ConfigureAwait(false);
            if (response.Code != ResponseCode.Success)
            {
                ReportFailure($"answered code {response.Code}: {response.Remark}");
                return;
            }
            var reply = RegisterBrokerResponseHeader.FromExtFields(response.ExtFields);
            ReportSuccess(broker, topics.DataVersion.Counter, topics.TopicConfigTable.Count, reply.MasterAddr);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the unregistration that follows says what needs saying.
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the contract is "log and retry next period", never an exception to the caller.
            ReportFailure(ex.Message);
        }
    }

    private void ReportSuccess(BrokerRegistration broker, long counter, int topicCount, string? masterAddress)
    {
        if (_failures > 0) LogMessages.RegistrationRecovered(_logger, _address, _failures);
        _failures = 0;
        var registered = (broker.BrokerId, broker.BrokerAddress, counter);
        if (_lastRegistered != registered)
        {
            LogMessages.Registered(_logger, _address, broker.BrokerName, broker.BrokerId, broker.BrokerAddress, topicCount, counter);
            _lastRegistered = registered;
        }
        else
        {
            LogMessages.Reregistered(_logger, _address, broker.BrokerId, masterAddress);
        }
    }

    private void ReportFailure(string reason)
    {
        // A name server that is down stays down for many periods: one warning, then quiet until it recovers.
        if (++_failures == 1) LogMessages.RegistrationFailed(_logger, _address, reason);
        else LogMessages.RegistrationStillFailing(_logger, _address, _failures, reason);
    }
}
