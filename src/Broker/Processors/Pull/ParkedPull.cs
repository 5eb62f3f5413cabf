using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>A pull waiting for a message in its queue or for its deadline; answered exactly once.</summary>
public sealed class ParkedPull
{
    private int _claimed;

    internal ParkedPull(RemotingContext context, RemotingCommand request, string topic, int queueId, long queueOffset, DateTimeOffset deadline)
    {
        Context = context;
        Request = request;
        Topic = topic;
        QueueId = queueId;
        QueueOffset = queueOffset;
        Deadline = deadline;
    }

    public RemotingContext Context { get; }

    public RemotingCommand Request { get; }

    public string Topic { get; }

    public int QueueId { get; }

    /// <summary>The offset the consumer asked for; a message arrived once the queue's max offset passes it.</summary>
    public long QueueOffset { get; }

    public DateTimeOffset Deadline { get; }

    /// <summary>True for the one caller that gets to answer it.</summary>
    internal bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
}
