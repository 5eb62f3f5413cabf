using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Processors.Transaction;

/// <summary>Transaction log events, ids 2380-2399 (inside the processors' 2300-2399).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2380, Level = LogLevel.Information,
        Message = "Transaction of half message {HalfOffset} (group {Group}, msgId {MsgId}) {Outcome}{FromCheck}")]
    public static partial void TransactionEnded(ILogger logger, long halfOffset, string group, string? msgId, string outcome, string fromCheck);

    [LoggerMessage(EventId = 2381, Level = LogLevel.Warning, Message = "END_TRANSACTION from {Address} refused: {Reason}")]
    public static partial void EndRefused(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 2382, Level = LogLevel.Debug, Message = "END_TRANSACTION from {Address} left half message {Offset} pending (commitOrRollback 0){FromCheck}")]
    public static partial void EndUnknown(ILogger logger, string address, long offset, string fromCheck);

    [LoggerMessage(EventId = 2383, Level = LogLevel.Debug, Message = "Checking transaction {HalfOffset} of group {Group} (check {CheckTimes}) through {ClientId}")]
    public static partial void CheckSent(ILogger logger, long halfOffset, string group, int checkTimes, string clientId);

    [LoggerMessage(EventId = 2384, Level = LogLevel.Debug,
        Message = "Transaction {HalfOffset} of group {Group}: check {CheckTimes} is due but no producer of the group is connected; it waits")]
    public static partial void NoProducerToCheck(ILogger logger, long halfOffset, string group, int checkTimes);

    [LoggerMessage(EventId = 2385, Level = LogLevel.Warning,
        Message = "Transaction {HalfOffset} of group {Group} (msgId {MsgId}) discarded to TRANS_CHECK_MAX_TIME_TOPIC after {CheckTimes} checks")]
    public static partial void Discarded(ILogger logger, long halfOffset, string group, string? msgId, int checkTimes);

    [LoggerMessage(EventId = 2386, Level = LogLevel.Information, Message = "Pending half message {HalfOffset} copied forward (its newest copy is older than {Age}) so retention keeps it")]
    public static partial void CopiedForward(ILogger logger, long halfOffset, TimeSpan age);

    [LoggerMessage(EventId = 2387, Level = LogLevel.Warning, Message = "Transaction check pass stopped at half message {HalfOffset}: {Reason}")]
    public static partial void CheckPassStopped(ILogger logger, long halfOffset, string reason);

}
