using System.Text;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Admin;

public sealed partial class MQAdminClient
{
    /// <summary>
    /// The trace of message <paramref name="msgId"/> (the producer's UNIQ_KEY): the trace messages whose keys hold the id
    /// (QUERY_MESSAGE 12 by key on <paramref name="traceTopic"/>, as mqadmin queryMsgTraceById), decoded and assembled.
    /// Empty when no record names the id; throws <see cref="MQClientException"/> (TOPIC_NOT_EXIST) when the trace topic does not exist.
    /// </summary>
    public async Task<MessageTraceView> QueryMessageTraceAsync(string msgId, string traceTopic = SystemNames.TraceTopic, int maxNum = 32,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(msgId);
        var messages = await QueryMessagesByKeyAsync(traceTopic, msgId, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, maxNum, uniqueKey: false,
            cancellationToken).ConfigureAwait(false);
        var records = new List<(TraceRecord, string)>();
        foreach (var message in messages)
        {
            List<TraceRecord> decoded;
            try
            {
                decoded = TraceDataCodec.Decode(Encoding.UTF8.GetString(message.Body));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                continue; // not trace data (anyone may write to the topic): the other messages still tell the story
            }
            foreach (var record in decoded) records.Add((record, message.BornHost));
        }
        return MessageTraceView.Build(msgId, records);
    }
}
