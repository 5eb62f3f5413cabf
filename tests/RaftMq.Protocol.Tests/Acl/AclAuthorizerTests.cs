using System.Diagnostics.Metrics;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tests.Remoting;

namespace RaftMq.Protocol.Tests.Acl;

public class AclAuthorizerTests
{
    private static readonly PlainAclRules Rules = PlainAclRules.Compile(PlainAclYaml.Parse("""
        accounts:
          - accessKey: producer01
            secretKey: producer-secret
            defaultTopicPerm: PUB
        """));

    [Fact]
    public async Task Refused_request_gets_system_error_with_the_remark_the_handler_never_runs_and_the_connection_stays()
    {
        int handled = 0;
        var refusals = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AclAuthorizer.MeterName && instrument.Name == "raftmq.acl.refused") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason") lock (refusals) refusals.Add((string)tag.Value!);
            }
        });
        listener.Start();
        using var authorizer = new AclAuthorizer(() => Rules, AclRequestResources.BrokerAdminCodes);
        await using var server = new RemotingServer(new RemotingServerOptions
        {
            ListenEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            Authorizer = authorizer,
        });
        server.RegisterHandler(RequestCode.SendMessageV2, new DelegateHandler((_, request) =>
        {
            Interlocked.Increment(ref handled);
            return ValueTask.FromResult<RemotingCommand?>(request.CreateResponse(ResponseCode.Success));
        }));
        await server.StartAsync();
        string address = $"127.0.0.1:{server.LocalEndPoint.Port}";
        await using var unsigned = new RemotingClient();
        await using var signed = new RemotingClient(new RemotingClientOptions
        {
            RequestSigner = request => AclSignature.Sign(request, new AclCredentials("producer01", "producer-secret")),
        });

        var refused = await unsigned.InvokeAsync(address, Send(), RemotingTestKit.Deadline);
        var connection = await unsigned.GetConnectionAsync(address);
        var accepted = await signed.InvokeAsync(address, Send(), RemotingTestKit.Deadline);
        var refusedAgain = await unsigned.InvokeAsync(address, Send(), RemotingTestKit.Deadline);

        Assert.Equal(ResponseCode.SystemError, refused.Code);
        Assert.StartsWith("No accessKey is configured", refused.Remark, StringComparison.Ordinal);
        Assert.Equal(ResponseCode.Success, accepted.Code);
        Assert.Equal(ResponseCode.SystemError, refusedAgain.Code);
        Assert.True(connection.IsOpen);
        Assert.Same(connection, await unsigned.GetConnectionAsync(address));
        Assert.Equal(1, Volatile.Read(ref handled));
        lock (refusals) Assert.Equal(["NotWhitelisted", "NotWhitelisted"], refusals);
    }

    [Fact]
    public void Without_rules_everything_checked_is_refused_and_unchecked_codes_pass()
    {
        using var authorizer = new AclAuthorizer(() => null, AclRequestResources.NameServerWriteCodes, AclRequestResources.NameServerWriteCodes);
        Assert.Null(authorizer.Authorize(null!, RemotingCommand.CreateRequest(RequestCode.GetRouteInfoByTopic)));
        var refusal = authorizer.Authorize(null!, RemotingCommand.CreateRequest(RequestCode.RegisterBroker));
        Assert.Equal(ResponseCode.SystemError, refusal?.Code);
        Assert.Contains("no rules yet", refusal?.Remark, StringComparison.Ordinal);
    }

    private static RemotingCommand Send()
    {
        var request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        request.ExtFields.Set("a", "group");
        request.ExtFields.Set("b", "TopicA");
        return request;
    }
}
