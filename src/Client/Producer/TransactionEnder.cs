using Microsoft.Extensions.Logging;
using RaftMq.Client.Consumer;
using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Producer;

/// <summary>
/// Sends END_TRANSACTION for a transaction producer: after the local transaction (to the master of the half message's
/// broker group, refreshing the route and retrying while that group elects a new master) and in answer to the
/// broker's CHECK_TRANSACTION_STATE (to the broker that asked). Request/response, so refusals are seen and logged.
/// </summary>
internal sealed class TransactionEnder : ITransactionChecker
{
    private const int EndAttempts = 3;

    private readonly ClientInstance _instance;
    private readonly ProducerOptions _options;
    private readonly IAsyncTransactionListener _listener;
    private readonly ILogger _logger;
    private readonly SendTracer? _tracer;

    public TransactionEnder(ClientInstance instance, ProducerOptions options, IAsyncTransactionListener listener, ILogger logger,
        SendTracer? tracer = null)
    {
        _instance = instance;
        _options = options;
        _listener = listener;
        _logger = logger;
        _tracer = tracer;
    }

    /// <summary>Ends the transaction of <paramref name="message"/>, a half message just sent; returns null on success,
    /// else the reason. With message trace on, an accepted end is traced (EndTransaction record).</summary>
    public async Task<string?> EndAsync(Message message, SendResult sent, LocalTransactionState state, CancellationToken cancellationToken)
    {
        if (!OffsetMessageId.TryDecode(sent.OffsetMsgId, out _, out long commitLogOffset)) return $"offsetMsgId {sent.OffsetMsgId} cannot be decoded";
        var header = new EndTransactionRequestHeader
        {
            ProducerGroup = _options.ProducerGroup,
            TranStateTableOffset = sent.QueueOffset,
            CommitLogOffset = commitLogOffset,
            CommitOrRollback = ToWire(state),
            FromTransactionCheck = false,
            MsgId = sent.MsgId,
            TransactionId = sent.TransactionId ?? sent.MsgId,
        };
        string? error = null;
        for (int attempt = 1; attempt <= EndAttempts; attempt++)
        {
            string? address = attempt == 1
                ? _instance.FindMasterAddress(sent.Queue.BrokerName)
                : await FindMasterAfterRefreshAsync(sent, cancellationToken).ConfigureAwait(false);
            if (address is null)
            {
                error = $"broker group {sent.Queue.BrokerName} has no master";
                continue;
            }
            (error, bool retriable) = await SendEndAsync(address, header, cancellationToken).ConfigureAwait(false);
            if (error is null) _tracer?.OnTransactionEnded(new EndedTransaction(message, sent.MsgId, header.TransactionId, address, state, false));
            if (error is null || !retriable) break;
            await Task.Delay(_options.RetryBackoff, cancellationToken).ConfigureAwait(false);
        }
        if (error is not null) _logger.EndTransactionFailed(sent.MsgId, state.ToString(), error);
        return error;
    }

    /// <summary>Runs the listener's check for a half message the broker asked about and answers it.</summary>
    public async Task CheckAsync(string brokerAddress, CheckTransactionStateRequestHeader check, MessageExt message)
    {
        LocalTransactionState state;
        try
        {
            state = await _listener.CheckLocalTransactionAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LocalTransactionFailed(message.MsgId, ex);
            state = LocalTransactionState.Unknown;
        }
        var header = new EndTransactionRequestHeader
        {
            ProducerGroup = _options.ProducerGroup,
            TranStateTableOffset = check.TranStateTableOffset,
            CommitLogOffset = check.CommitLogOffset,
            CommitOrRollback = ToWire(state),
            FromTransactionCheck = true,
            MsgId = message.MsgId,
            TransactionId = check.TransactionId,
        };
        var (error, _) = await SendEndAsync(brokerAddress, header, CancellationToken.None).ConfigureAwait(false);
        if (error is null)
        {
            _tracer?.OnTransactionEnded(new EndedTransaction(message, message.MsgId, check.TransactionId, brokerAddress, state, true));
        }
        else
        {
            _logger.EndTransactionFailed(message.MsgId, state.ToString(), error);
        }
    }

    private async Task<string?> FindMasterAfterRefreshAsync(SendResult sent, CancellationToken cancellationToken)
    {
        try
        {
            await _instance.RefreshRouteAsync(sent.Queue.Topic, cancellationToken).ConfigureAwait(false);
        }
        catch (MQException)
        {
            // No fresher route: the address known so far is still worth a try.
        }
        return _instance.FindMasterAddress(sent.Queue.BrokerName);
    }

    /// <summary>Null on success; otherwise the reason and whether another master may accept it.</summary>
    private async Task<(string? Error, bool Retriable)> SendEndAsync(string address, EndTransactionRequestHeader header, CancellationToken cancellationToken)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.EndTransaction);
        header.ToExtFields(request.ExtFields);
        request.Language = LanguageCode.DotNet;
        try
        {
            var response = await _instance.Remoting.InvokeAsync(address, request, _options.SendTimeout, cancellationToken).ConfigureAwait(false);
            if (response.Code == ResponseCode.Success) return (null, false);
            return ($"broker {address} answered {response.Code}: {response.Remark}", response.Code is ResponseCode.ServiceNotAvailable or ResponseCode.SystemBusy);
        }
        catch (RemotingException ex)
        {
            return ($"END_TRANSACTION to {address} failed: {ex.Message}", ex is RemotingConnectException);
        }
    }

    private static int ToWire(LocalTransactionState state) => state switch
    {
        LocalTransactionState.CommitMessage => MessageSysFlag.TransactionCommitType,
        LocalTransactionState.RollbackMessage => MessageSysFlag.TransactionRollbackType,
        _ => MessageSysFlag.TransactionNotType,
    };
}
