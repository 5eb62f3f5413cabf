using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Consensus.Runtime;

/// <summary>Messages the driver hands out go on the wire.</summary>
public sealed partial class RaftNode
{
    /// <summary>Messages of <paramref name="type"/> handed to the transport so far (diagnostics and tests).</summary>
    internal long SentMessages(MessageType type) => Interlocked.Read(ref _sentByType[(int)type]);

    void IDriverHost.Send(Message message)
    {
        try
        {
            // A node outside our configuration (an answer to a leader we do not know yet) has no link: like a lost
            // message, Raft retries.
            if (!_transport.HasLink(message.To)) return;
            var payload = new byte[MessageCodec.GetEncodedSize(message)];
            MessageCodec.Encode(message, payload);
            // The transport keeps the array until written; it is never reused.
            _transport.TrySend(message.To, payload);
            Interlocked.Increment(ref _sentByType[(int)message.Type]);
        }
        catch (ArgumentException e)
        {
            // Too large for one frame (a huge snapshot): the peer cannot be caught up this way; say so loudly
            // rather than halting the whole node. Raft treats it as a lost message and retries later.
            LogMessages.MessageNotSendable(_logger, SelfId, message.Type, message.To, e.Message);
        }
    }
}
