using Microsoft.Extensions.Logging;
using NLog.Config;
using NLog.Extensions.Logging;
using NLog.Targets;
using NLogLevel = NLog.LogLevel;

namespace RaftMq.Cli.Hosting;

/// <summary>Where a verb's logs go: a file in the log folder and the console.</summary>
/// <param name="LogDirectory">Folder of the log file (created if missing).</param>
/// <param name="FileName">File name without extension (<c>namesrv</c>, <c>broker-n0</c>).</param>
/// <param name="ConsoleLevel">Lowest level also written to the console. Servers show Info; tools that print tables
/// show only warnings so that their output stays readable.</param>
/// <param name="ConsoleToStandardError">Tools keep stdout for their results.</param>
public sealed record LogSettings(string LogDirectory, string FileName, LogLevel ConsoleLevel, bool ConsoleToStandardError)
{
    public string FilePath => Path.Combine(LogDirectory, FileName + ".log");

    public static LogSettings ForServer(string logDirectory, string fileName) =>
        new(logDirectory, fileName, LogLevel.Information, ConsoleToStandardError: false);

    public static LogSettings ForTool(string logDirectory, string fileName) =>
        new(logDirectory, fileName, LogLevel.Warning, ConsoleToStandardError: true);

    /// <summary>For a tool whose own progress output explains the warnings its clients log (quickstart expects
    /// failed sends while it kills leaders): only errors on the console, everything in the file.</summary>
    public static LogSettings ForQuietTool(string logDirectory, string fileName) =>
        new(logDirectory, fileName, LogLevel.Error, ConsoleToStandardError: true);
}

/// <summary>NLog as the Microsoft.Extensions.Logging provider of the executable (libraries only see ILogger).</summary>
public static class CliLogging
{
    private const string Layout =
        "${longdate} ${level:uppercase=true:padding=-5} [${threadid}] ${logger:shortName=true}: ${message}${onexception:inner= ${exception:format=tostring}}";

    private const string ConsoleLayout = "${date:format=HH\\:mm\\:ss.fff} ${level:uppercase=true:padding=-5} ${message}${onexception:inner= ${exception:format=message}}";

    public static ILoggerFactory CreateFactory(LogSettings settings) => LoggerFactory.Create(builder => Configure(builder, settings));

    public static void Configure(ILoggingBuilder builder, LogSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Debug);
        builder.AddNLog(BuildConfiguration(settings), new NLogProviderOptions { RemoveLoggerFactoryFilter = false });
    }

    public static LoggingConfiguration BuildConfiguration(LogSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.LogDirectory);
        var config = new LoggingConfiguration();
        var file = new FileTarget("file")
        {
            FileName = settings.FilePath,
            Layout = Layout,
            ArchiveAboveSize = 128L * 1024 * 1024,
            MaxArchiveFiles = 8,
            KeepFileOpen = true,
        };
        var console = new ConsoleTarget("console") { Layout = ConsoleLayout, StdErr = settings.ConsoleToStandardError };
        config.AddRule(NLogLevel.Info, NLogLevel.Fatal, file);
        config.AddRule(ToNLog(settings.ConsoleLevel), NLogLevel.Fatal, console);
        return config;
    }

    private static NLogLevel ToNLog(LogLevel level) => level switch
    {
        LogLevel.Trace => NLogLevel.Trace,
        LogLevel.Debug => NLogLevel.Debug,
        LogLevel.Information => NLogLevel.Info,
        LogLevel.Warning => NLogLevel.Warn,
        LogLevel.Error => NLogLevel.Error,
        _ => NLogLevel.Fatal,
    };
}
