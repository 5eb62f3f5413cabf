using System.Text;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>Settings in force on the name servers (getNamesrvConfig).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>GET_NAMESRV_CONFIG (319) of every name server this client uses: its settings as key/value pairs, in order.</summary>
    public async Task<IReadOnlyList<(string NameServer, IReadOnlyList<KeyValuePair<string, string>> Settings)>> GetNameServerConfigAsync(
        CancellationToken cancellationToken = default)
    {
        var result = new List<(string, IReadOnlyList<KeyValuePair<string, string>>)>();
        foreach (string nameServer in _options.NameServerAddresses)
        {
            var response = await Instance.InvokeCheckedAsync(nameServer, BrokerApi.Request(RequestCode.GetNamesrvConfig), cancellationToken).ConfigureAwait(false);
            result.Add((nameServer, ParseProperties(Encoding.UTF8.GetString(response.Body.Span))));
        }
        return result;
    }

    /// <summary>Java properties text as RocketMQ writes it: <c>key=value</c> lines, <c>#</c> comments.</summary>
    private static List<KeyValuePair<string, string>> ParseProperties(string text)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0) continue;
            settings.Add(new(line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
        return settings;
    }
}
