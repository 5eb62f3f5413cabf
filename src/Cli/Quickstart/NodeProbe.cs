using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tls;

namespace RaftMq.Cli.Quickstart;

/// <summary>
/// Asks one broker node directly, follower or leader, how far its queues go (GET_TOPIC_STATS_INFO). Quickstart
/// uses it to wait until a restarted node caught up with the leader before the next kill.
/// </summary>
public sealed class NodeProbe : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);
    private readonly RemotingClient _client;

    /// <param name="credentials">ACL keys to sign with (secure quickstart); null: unsigned.</param>
    /// <param name="tls">TLS towards the nodes; null: plaintext.</param>
    public NodeProbe(AclCredentials? credentials = null, ClientTlsOptions? tls = null)
    {
        _client = new RemotingClient(new RemotingClientOptions
        {
            RequestSigner = credentials is null ? null : request => AclSignature.Sign(request, credentials),
            Tls = tls?.Load(),
        });
    }

    /// <summary>Max offset per queue id of <paramref name="topic"/> on the node, or null when it does not answer.</summary>
    public async Task<IReadOnlyDictionary<int, long>?> TryGetMaxOffsetsAsync(string address, string topic, CancellationToken cancellationToken)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.GetTopicStatsInfo);
        request.ExtFields["topic"] = topic;
        try
        {
            var response = await _client.InvokeAsync(address, request, RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (response.Code != ResponseCode.Success) return null;
            var stats = ProtocolJson.Decode<TopicStatsBody>(response.Body.Span);
            return stats.OffsetTable.ToDictionary(queue => queue.MessageQueue.QueueId, queue => queue.MaxOffset);
        }
        catch (RemotingException)
        {
            _client.CloseConnection(address);
            return null;
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
