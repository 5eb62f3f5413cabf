using RaftMq.Cli.Admin;
using RaftMq.Cli.Admin.Brokers;
using RaftMq.Cli.Admin.Groups;
using RaftMq.Cli.Admin.Messages;
using RaftMq.Cli.Admin.Offsets;
using RaftMq.Cli.Admin.Stats;
using RaftMq.Cli.Admin.Topics;
using RaftMq.Cli.Bench;
using RaftMq.Cli.Commands;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Dashboard;
using RaftMq.Cli.Quickstart;
using RaftMq.Cli.Tools;

namespace RaftMq.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int exitCode = await CreateApp().RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        NLog.LogManager.Shutdown();
        return exitCode;
    }

    /// <summary>Every verb of the executable.</summary>
    public static CliApp CreateApp() => new(
        [
            new NameServerCommand(),
            new BrokerCommand(),
            new ProduceCommand(),
            new ConsumeCommand(),
            new QuickstartCommand(),
            new DashboardCommand(),
            new CompletionCommand(),
        ],
        [
            new CommandGroup("admin", "cluster administration (like mqadmin)",
            [
                new ClusterListCommand(), new TopicListCommand(), new UpdateTopicCommand(), new TopicStatusCommand(),
                new ConsumerProgressCommand(), new TransferLeaderCommand(),
                new TopicRouteCommand(), new TopicClusterListCommand(), new DeleteTopicCommand(), new CleanUnusedTopicCommand(), new StatsAllCommand(),
                new BrokerStatusCommand(), new RaftStatusCommand(), new AddPeerCommand(), new RemovePeerCommand(), new PromotePeerCommand(),
                new QueryMsgTraceByIdCommand(),
                new UpdateSubGroupCommand(), new DeleteSubGroupCommand(), new ResetOffsetByTimeCommand(),
                new ConsumerConnectionCommand(), new ProducerConnectionCommand(), new ConsumerStatusCommand(), new BrokerConsumeStatsCommand(), new CloneGroupOffsetCommand(),
                new GetBrokerConfigCommand(), new UpdateBrokerConfigCommand(), new SendMsgStatusCommand(), new ClusterRTCommand(),
                new QueryMsgByIdCommand(), new QueryMsgByKeyCommand(), new QueryMsgByUniqueKeyCommand(), new QueryMsgByOffsetCommand(),
                new ConsumeMessageDirectlyCommand(), new ResendMsgByIdCommand(),
                new PrintMsgCommand(), new PrintMsgByQueueCommand(), new SendMessageCommand(), new ConsumeMessageCommand(), new QueryCqCommand(),
                new UpdateTopicPermCommand(), new WipeWritePermCommand(), new AddWritePermCommand(), new GetNamesrvConfigCommand(),
                new UpdateAclConfigCommand(), new DeleteAclConfigCommand(), new UpdateGlobalWhiteAddrCommand(), new GetAclConfigCommand(),
            ]),
            new CommandGroup("bench", "load and micro benchmarks",
                [new ProduceBenchCommand(), new ConsumeBenchCommand(), new RaftBenchCommand(), new MicroBenchCommand()]),
        ]);
}
