using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

internal sealed partial class ClientInstance
{
    /// <summary>Sends one heartbeat with every member's data to the brokers now (also used right after start).</summary>
    public async Task SendHeartbeatsAsync(CancellationToken cancellationToken)
    {
        var heartbeat = new HeartbeatData { ClientId = ClientId };
        bool anyConsumer = false;
        foreach (var member in _members.Keys)
        {
            member.ContributeHeartbeat(heartbeat);
            anyConsumer |= member.IsConsumer;
        }
        if (heartbeat.ProducerDataSet.Count == 0 && heartbeat.ConsumerDataSet.Count == 0) return;
        byte[] body = ProtocolJson.Encode(heartbeat);
        var sends = new List<Task>();
        foreach (string address in KnownBrokerAddresses(mastersOnly: !anyConsumer))
        {
            sends.Add(SendHeartbeatAsync(address, body, cancellationToken));
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>Tells every known broker that this client left <paramref name="producerGroup"/> / <paramref name="consumerGroup"/>.</summary>
    public async Task UnregisterClientAsync(string? producerGroup, string? consumerGroup, CancellationToken cancellationToken)
    {
        var sends = new List<Task>();
        foreach (string address in KnownBrokerAddresses(mastersOnly: false))
        {
            var request = BrokerApi.Request(RequestCode.UnregisterClient);
            new UnregisterClientRequestHeader { ClientId = ClientId, ProducerGroup = producerGroup, ConsumerGroup = consumerGroup }
                .ToExtFields(request.ExtFields);
            sends.Add(IgnoreFailureAsync(address, request, cancellationToken));
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task SendHeartbeatAsync(string address, byte[] body, CancellationToken cancellationToken)
    {
        var request = BrokerApi.Request(RequestCode.HeartBeat);
        request.Body = body;
        await IgnoreFailureAsync(address, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Heartbeats and unregistrations are best effort: the next round repeats them.</summary>
    private async Task IgnoreFailureAsync(string address, RemotingCommand request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Remoting.InvokeAsync(address, request, Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (response.Code != ResponseCode.Success) _logger.HeartbeatFailed(address, $"code {response.Code}: {response.Remark}");
        }
        catch (RemotingException ex)
        {
            _logger.HeartbeatFailed(address, ex.Message);
        }
    }
}
