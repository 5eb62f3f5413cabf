using RaftMq.Protocol;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tls;

namespace RaftMq.Cli.Bench;

/// <summary>
/// <c>bench produce --via ADDRESS</c>: sends SEND_MESSAGE_V2 straight to one broker address, whatever its role,
/// round robin over the topic's queues, without the producer's routing or retries. Pointed at a follower it measures
/// sends forwarded to the leader; pointed at the leader, the same path without the extra hop. Signs and uses TLS as
/// the other client verbs do (--access-key, --tls...).
/// </summary>
internal sealed class AddressedSender : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly RemotingClient _client;
    private readonly string _address;
    private readonly string _topic;
    private readonly int _queues;
    private readonly string? _properties;
    private int _next;

    /// <param name="credentials">Plain-ACL keys the sends are signed with; null sends unsigned.</param>
    /// <param name="tls">TLS towards the broker; null: plaintext.</param>
    public AddressedSender(string address, string topic, int queues, string? tags, AclCredentials? credentials, ClientTlsOptions? tls)
    {
        _client = new RemotingClient(new RemotingClientOptions
        {
            RequestSigner = credentials is null ? null : request => AclSignature.Sign(request, credentials),
            Tls = tls?.Load(),
        });
        _address = address;
        _topic = topic;
        _queues = queues;
        _properties = tags is null ? null : $"TAGS{MessageProperties.NameValueSeparator}{tags}";
    }

    /// <summary>Null when the broker answered SEND_OK, else what it answered.</summary>
    public async Task<string?> SendAsync(byte[] body)
    {
        var fields = new StringMap(12);
        new SendMessageRequestHeader
        {
            ProducerGroup = "benchmark_producer",
            Topic = _topic,
            DefaultTopic = SystemNames.AutoCreateTopicKeyTopic,
            DefaultTopicQueueNums = _queues,
            QueueId = (int)((uint)Interlocked.Increment(ref _next) % (uint)_queues),
            SysFlag = 0,
            BornTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Flag = 0,
            Properties = _properties,
        }.ToV2ExtFields(fields);
        var request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2, fields);
        request.Body = body;
        var response = await _client.InvokeAsync(_address, request, Timeout).ConfigureAwait(false);
        return response.Code == ResponseCode.Success ? null : $"code {response.Code}: {response.Remark}";
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
