using System.Collections.Concurrent;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

/// <summary>Answers a broker's CHECK_TRANSACTION_STATE for one producer group.</summary>
internal interface ITransactionChecker
{
    Task CheckAsync(string brokerAddress, CheckTransactionStateRequestHeader check, MessageExt message);
}

internal sealed partial class ClientInstance
{
    private readonly ConcurrentDictionary<string, ITransactionChecker> _transactionCheckers = new(StringComparer.Ordinal);

    public void RegisterTransactionChecker(string producerGroup, ITransactionChecker checker)
    {
        if (!_transactionCheckers.TryAdd(producerGroup, checker))
        {
            throw new InvalidOperationException($"A transaction producer of group {producerGroup} is already started in this client instance.");
        }
    }

    public void UnregisterTransactionChecker(string producerGroup) => _transactionCheckers.TryRemove(producerGroup, out _);

    /// <summary>CHECK_TRANSACTION_STATE (39, oneway): decodes the half message, finds the producer of its group (PGROUP)
    /// and lets it check and answer in the background, so the connection's reader never waits for user code.</summary>
    private sealed class CheckTransactionStateHandler(ClientInstance instance) : IRemotingRequestHandler
    {
        public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            var header = CheckTransactionStateRequestHeader.FromExtFields(request.ExtFields);
            if (!StoredMessageView.TryRead(request.Body.Span, out var view))
            {
                instance._logger.TransactionCheckIgnored(context.RemoteAddress, "the body is not a stored message");
                return Done(request);
            }
            var message = PulledMessages.ToMessageExt(view.ToDecodedMessage(), "", null, null);
            string? group = message.GetProperty(MessageProperty.ProducerGroup);
            if (group is null || !instance._transactionCheckers.TryGetValue(group, out var checker))
            {
                instance._logger.TransactionCheckIgnored(context.RemoteAddress, $"no transaction producer of group {group ?? "(none)"} here");
                return Done(request);
            }
            _ = Task.Run(() => checker.CheckAsync(context.RemoteAddress, header, message), CancellationToken.None);
            return Done(request);
        }

        private static ValueTask<RemotingCommand?> Done(RemotingCommand request) =>
            ValueTask.FromResult<RemotingCommand?>(request.IsOneway ? null : request.CreateResponse(ResponseCode.Success));
    }
}
