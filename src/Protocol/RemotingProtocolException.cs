namespace RaftMq.Protocol;

/// <summary>
/// Base of every error about malformed or invalid protocol data (frames, headers, message encodings, JSON bodies).
/// Decoders throw only this family for bad input, so callers can tell a hostile or broken peer from a bug.
/// </summary>
public abstract class RemotingProtocolException : Exception
{
    protected RemotingProtocolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
