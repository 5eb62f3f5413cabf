using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Client.Instance;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Trace;

/// <summary>
/// The trace writer of one producer or consumer with <c>EnableMsgTrace</c>: a <see cref="TraceDispatcher"/> whose trace
/// messages go out through an inner sender (producer group <c>_INNER_TRACE_PRODUCER-{group}</c>) on the owner's client
/// instance, to <c>RMQ_SYS_TRACE_TOPIC</c> or the owner's customized trace topic.
/// </summary>
internal static class MessageTracing
{
    /// <summary>Send timeout of a trace message (the Java trace producer's 5 s).</summary>
    private static readonly TimeSpan TraceSendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The trace topic named by the options: the customized one when set, else RMQ_SYS_TRACE_TOPIC.</summary>
    public static string TopicOf(string? customizedTraceTopic) =>
        string.IsNullOrWhiteSpace(customizedTraceTopic) ? SystemNames.TraceTopic : customizedTraceTopic.Trim();

    /// <summary>A producer's send tracer and its dispatcher, or nulls when its options leave message trace off.</summary>
    public static (TraceDispatcher? Dispatcher, SendTracer? Tracer) ForProducer(ClientInstance instance, ProducerOptions options, ILogger logger,
        TimeProvider time)
    {
        if (!options.EnableMsgTrace) return (null, null);
        string topic = TopicOf(options.CustomizedTraceTopic);
        var dispatcher = StartDispatcher(instance, options, options.ProducerGroup, topic, logger, time);
        return (dispatcher, new SendTracer(dispatcher, options.ProducerGroup, topic));
    }

    public static TraceDispatcher StartDispatcher(ClientInstance instance, ClientOptions owner, string ownerGroup, string traceTopic,
        ILogger logger, TimeProvider time, TraceDispatcherSettings? settings = null)
    {
        var options = new ProducerOptions
        {
            NameServerAddresses = owner.NameServerAddresses,
            InstanceName = owner.InstanceName,
            ClientIp = owner.ClientIp,
            RequestTimeout = owner.RequestTimeout,
            Credentials = owner.Credentials,
            Tls = owner.Tls,
            ProducerGroup = SystemNames.TraceProducerGroupPrefix + "-" + ownerGroup,
            SendTimeout = TraceSendTimeout,
        };
        var sender = new MessageSender(instance, options, logger, time);
        logger.TraceStarted(ownerGroup, traceTopic);
        return new TraceDispatcher(async (body, keys, cancellationToken) =>
        {
            var message = new Message(traceTopic, Encoding.UTF8.GetBytes(body));
            message.SetKeys(keys);
            await sender.SendAsync(sender.Prepare(message), null, cancellationToken).ConfigureAwait(false);
        }, settings ?? new TraceDispatcherSettings(), logger);
    }
}
