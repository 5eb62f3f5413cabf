using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.NameServer.Routing;

public sealed partial class RouteInfoManager
{
    /// <summary>
    /// WIPE_WRITE_PERM_OF_BROKER (205): clears the write bit of every queue data of <paramref name="brokerName"/>, so that
    /// producers stop sending to it while consumers still drain it. Held until the broker's topic table changes (its next
    /// registration with a new data version overwrites the queue data, as in RocketMQ). Returns the topics changed.
    /// </summary>
    public int WipeWritePerm(string brokerName) => ChangePerm(brokerName, perm => perm & ~PermName.Write);

    /// <summary>ADD_WRITE_PERM_OF_BROKER (327): sets the write bit again; returns the topics changed.</summary>
    public int AddWritePerm(string brokerName) => ChangePerm(brokerName, perm => perm | PermName.Write);

    private int ChangePerm(string brokerName, Func<int, int> change)
    {
        ArgumentNullException.ThrowIfNull(brokerName);
        lock (_gate)
        {
            int changed = 0;
            foreach (var queues in _topics.Values)
            {
                if (!queues.TryGetValue(brokerName, out var queue)) continue;
                // A new object: replies already built from the old one keep what they saw.
                queues[brokerName] = new QueueData
                {
                    BrokerName = queue.BrokerName, ReadQueueNums = queue.ReadQueueNums, WriteQueueNums = queue.WriteQueueNums,
                    TopicSysFlag = queue.TopicSysFlag, Perm = change(queue.Perm),
                };
                changed++;
            }
            return changed;
        }
    }
}
