using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>What mqadmin's queryMsgById does with <c>-g GROUP -d CLIENTID</c> (consume a stored message directly in one consumer,
/// CONSUME_MESSAGE_DIRECTLY 309) and with <c>-s true</c> (send a stored message again); shared by the verbs
/// consumeMessageDirectly and resendMsgById.</summary>
internal static class MessageRedelivery
{
    /// <summary>The group mqadmin's resend producer uses.</summary>
    public const string ResendProducerGroup = "ReSendMsgById";

    /// <summary>Prints one ConsumeMessageDirectlyResult per id; returns true when every message was consumed (CR_SUCCESS).</summary>
    public static async Task<bool> ConsumeDirectlyAsync(MQAdminClient admin, string group, string clientId, IEnumerable<string> ids, string? topic,
        CommandContext context, List<(string Id, ConsumeMessageDirectlyResult Result)>? results = null)
    {
        var info = await admin.GetConsumerRunningInfoAsync(group, clientId, cancellationToken: context.Stopping).ConfigureAwait(false);
        if (!info.IsPushType)
        {
            await context.Error.WriteLineAsync($"this {clientId} client is not push consumer ,not support direct push").ConfigureAwait(false);
            return false;
        }
        bool allConsumed = true;
        foreach (string id in ids)
        {
            var result = await admin.ConsumeMessageDirectlyAsync(group, clientId, id, topic, context.Stopping).ConfigureAwait(false);
            results?.Add((id, result));
            if (results is null) await context.Out.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            allConsumed &= result.ConsumeResult == ConsumeDirectlyOutcome.Success;
        }
        return allConsumed;
    }

    /// <summary>Sends each stored message again (topic, tags, keys, properties and producer id kept, as mqadmin's producer keeps them);
    /// returns the sends, or throws when an id names no message.</summary>
    public static async Task<IReadOnlyList<(string Id, SendResult Result)>> ResendAsync(MQAdminClient admin, ProducerOptions options, IEnumerable<string> ids,
        string? topic, Microsoft.Extensions.Logging.ILoggerFactory loggers, CommandContext context, bool print)
    {
        await using var producer = new MQProducer(options, loggers);
        await producer.StartAsync(context.Stopping).ConfigureAwait(false);
        var sent = new List<(string, SendResult)>();
        foreach (string id in ids)
        {
            var stored = await admin.ViewMessageAsync(topic ?? "", id, context.Stopping).ConfigureAwait(false)
                ?? throw new MQClientException($"no message. msgId={id}");
            if (print) await context.Out.WriteLineAsync($"prepare resend msg. originalMsgId={id}").ConfigureAwait(false);
            var copy = new Message(stored.Topic, stored.Body) { Flag = stored.Flag };
            foreach (var (name, value) in stored.Properties)
            {
                if (name is not (MessageProperty.MinOffset or MessageProperty.MaxOffset)) copy.SetProperty(name, value);
            }
            var result = await producer.SendAsync(copy, context.Stopping).ConfigureAwait(false);
            if (print) await context.Out.WriteLineAsync(ProduceCommand.Describe(result)).ConfigureAwait(false);
            sent.Add((id, result));
        }
        return sent;
    }

    public static string NewProducerInstance() => ResendProducerGroup + "_" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
