using System.Globalization;
using RaftMq.Protocol;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Delay;

/// <summary>
/// Where a message is going: its real topic and queue, and the delay level it waits at first (0: none). A delayed
/// message is stored in <c>SCHEDULE_TOPIC_XXXX</c> queue DelayLevel - 1, with REAL_TOPIC/REAL_QID naming the real
/// queue, until the delay service writes it there. Sends, send-back retries and level hops all address it this way.
/// </summary>
internal readonly record struct Destination(string Topic, int QueueId, int DelayLevel)
{
    public string StoreTopic => DelayLevel > 0 ? SystemNames.ScheduleTopic : Topic;

    public int StoreQueueId => DelayLevel > 0 ? DelayLevels.ScheduleQueueOf(DelayLevel) : QueueId;

    /// <summary>Sets the properties that say so: DELAY only when delayed, with REAL_TOPIC and REAL_QID.</summary>
    public void Describe(StringMap properties)
    {
        properties.Remove(MessageProperty.DelayTimeLevel);
        if (DelayLevel == 0) return;
        properties.Set(MessageProperty.RealTopic, Topic);
        properties.Set(MessageProperty.RealQueueId, QueueId.ToString(CultureInfo.InvariantCulture));
        properties.Set(MessageProperty.DelayTimeLevel, DelayLevel.ToString(CultureInfo.InvariantCulture));
    }
}
