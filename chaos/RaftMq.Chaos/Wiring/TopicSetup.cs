using Microsoft.Extensions.Logging;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Chaos.Wiring;

/// <summary>Creates the workload topic on the group's master through the admin client, retrying until it takes.</summary>
public static class TopicSetup
{
    public static async Task CreateAsync(ChaosClientOptions options, TimeSpan deadline, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggers.CreateLogger(typeof(TopicSetup));
        var admin = new MQAdminClient(new AdminOptions
        {
            NameServerAddresses = [options.NameServerAddress],
            InstanceName = "chaos-admin",
            RequestTimeout = options.RequestTimeout,
        }, loggers);
        await using (admin.ConfigureAwait(false))
        {
            await admin.StartAsync(cancellationToken).ConfigureAwait(false);
            using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeUp.CancelAfter(deadline);
            var settings = new TopicSettings
            {
                Topic = options.Topic,
                ReadQueueNums = options.QueueCount,
                WriteQueueNums = options.QueueCount,
                Order = true,
            };
            while (true)
            {
                try
                {
                    var groups = await admin.CreateOrUpdateTopicAsync(options.ClusterName, settings, timeUp.Token).ConfigureAwait(false);
                    if (groups.Count > 0)
                    {
                        WiringLog.TopicReady(logger, options.Topic, options.QueueCount);
                        return;
                    }

                    WiringLog.TopicRetry(logger, options.Topic, "the name server knows no master of the cluster yet");
                }
                catch (Exception e) when (e is MQException or RemotingException && !timeUp.IsCancellationRequested)
                {
                    WiringLog.TopicRetry(logger, options.Topic, e.Message);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), timeUp.Token).ConfigureAwait(false);
            }
        }
    }
}
