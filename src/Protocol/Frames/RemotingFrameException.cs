namespace RaftMq.Protocol.Frames;

/// <summary>Why a frame was rejected.</summary>
public enum FrameError
{
    /// <summary>The length prefix is smaller than the mandatory header-length word or negative.</summary>
    InvalidLength,

    /// <summary>The frame is larger than the configured maximum.</summary>
    TooLarge,

    /// <summary>The header length does not fit inside the frame.</summary>
    InvalidHeaderLength,

    /// <summary>The serialize type byte is neither JSON (0) nor ROCKETMQ (1).</summary>
    UnknownSerializeType,

    /// <summary>The header bytes do not parse as the announced serialization.</summary>
    MalformedHeader,

    /// <summary>Bytes remain after a complete frame where exactly one frame was expected.</summary>
    TrailingBytes,
}

/// <summary>
/// A frame that cannot be decoded. The peer's byte stream can no longer be trusted, so a server closes the
/// connection (Java's NettyDecoder does the same).
/// </summary>
public sealed class RemotingFrameException : RemotingProtocolException
{
    public RemotingFrameException(FrameError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public FrameError Error { get; }
}
