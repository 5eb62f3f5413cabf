using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Acl;

/// <summary>Access-control log events, ids 2600-2649.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning, Message = "ACL refused request code {Code} from {Address} ({Reason}): {Remark}")]
    public static partial void Refused(ILogger logger, int code, string address, string reason, string remark);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Error, Message = "ACL file refused, the rules in force stay: {Problem}")]
    public static partial void FileRefused(ILogger logger, string problem);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "ACL rules from {Path} proposed to the group ({Accounts} account(s)): {Status}")]
    public static partial void FileProposed(ILogger logger, string path, int accounts, string status);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "ACL rules version {Version} in force ({Accounts} account(s), {WhiteAddresses} global white address(es))")]
    public static partial void RulesApplied(ILogger logger, long version, int accounts, int whiteAddresses);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Information, Message = "ACL rules version {Version} written to {Path}")]
    public static partial void FileRewritten(ILogger logger, long version, string path);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Error, Message = "ACL file watch failed")]
    public static partial void WatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2606, Level = LogLevel.Information, Message = "ACL admin from {Address}: {Action}: {Status}")]
    public static partial void AdminChange(ILogger logger, string address, string action, string status);
}
