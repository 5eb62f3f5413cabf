namespace RaftMq.Protocol.Messages;

/// <summary>A stored message, batch element or message id that does not follow its layout.</summary>
public sealed class MessageFormatException : RemotingProtocolException
{
    public MessageFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
