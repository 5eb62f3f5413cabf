using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Runtime;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Consensus.TestHost;

/// <summary>
/// Runs one RaftNode from a broker.conf with a <see cref="FileStateMachine"/>, for multi-process tests. Line protocol
/// on stdin/stdout, one answer line per command:
/// <code>
/// append TEXT   -> appended STATUS INDEX          (STATUS: Committed, NotLeader, Busy, Unknown)
/// status        -> status ROLE TERM LEADER APPLIED (LEADER "-" when unknown)
/// quit          -> (stops the node and exits 0)
/// </code>
/// Logs go to stderr. Usage: RaftMq.Consensus.TestHost CONF APPLIED_FILE
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: RaftMq.Consensus.TestHost <broker.conf> <applied-file>");
            return 2;
        }
        var options = ConsensusOptions.FromProperties(PropertiesFile.Load(args[0]));
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("Microsoft", LogLevel.Warning));
        using var stateMachine = new FileStateMachine(args[1]);
        await using var node = RaftNode.Create(options, stateMachine, loggers);
        await node.StartAsync();
        Console.Out.Flush();
        string? line;
        while ((line = await Console.In.ReadLineAsync()) is not null && line != "quit")
        {
            Console.Out.WriteLine(await AnswerAsync(node, line));
            Console.Out.Flush();
        }
        await node.StopAsync();
        return 0;
    }

    private static async Task<string> AnswerAsync(RaftNode node, string command)
    {
        if (command.StartsWith("append ", StringComparison.Ordinal))
        {
            var outcome = await node.AppendAsync([Encoding.UTF8.GetBytes(command["append ".Length..])], TimeSpan.FromSeconds(10));
            return $"appended {outcome.Status} {outcome.Index}";
        }
        if (command == "status")
        {
            var state = node.State;
            return $"status {state.Role} {state.Term} {state.LeaderId ?? "-"} {node.AppliedIndex}";
        }
        return $"error unknown command '{command}'";
    }
}
