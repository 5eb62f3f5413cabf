using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin getNamesrvConfig</c>: every name server's settings in force (code 319), as mqadmin prints them.</summary>
public sealed class GetNamesrvConfigCommand : AdminCommand
{
    public override string Name => "getNamesrvConfig";

    public override string Summary => "the settings in force on every name server";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [JsonOption];

    protected override string Notes => "asks every name server given with -n (separated by ';')";

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var configs = await admin.GetNameServerConfigAsync(context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                foreach (var (nameServer, settings) in configs)
                {
                    writer.WriteStartObject(nameServer);
                    foreach (var (key, value) in settings) writer.WriteString(key, value);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            })
            : Text(configs);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(IReadOnlyList<(string NameServer, IReadOnlyList<KeyValuePair<string, string>> Settings)> configs)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (nameServer, settings) in configs)
        {
            text.Append(CultureInfo.InvariantCulture, $"============{nameServer}============").AppendLine();
            foreach (var (key, value) in settings) text.Append(CultureInfo.InvariantCulture, $"{key,-50}=  {value}").AppendLine();
        }
        return text.ToString();
    }
}
