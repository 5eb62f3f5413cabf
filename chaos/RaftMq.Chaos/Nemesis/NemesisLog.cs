using Microsoft.Extensions.Logging;

namespace RaftMq.Chaos.Nemesis;

/// <summary>Log events of the nemesis scheduler (chaos event ids 6300-6399).</summary>
internal static partial class NemesisLog
{
    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "fault window {Window}: {Name} on {Targets} ({Detail})")]
    public static partial void FaultStarted(ILogger logger, int window, string name, string targets, string? detail);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "fault window {Window}: {Name} healed")]
    public static partial void FaultHealed(ILogger logger, int window, string name);
}
