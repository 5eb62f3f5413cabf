using System.Text;
using System.Text.Json;
using RaftMq.Foundation.Checksums;
using RaftMq.NameServer.Configuration;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;
using static RaftMq.NameServer.Tests.NameServerKit;
using static RaftMq.NameServer.Tests.Routing.RouteTableFixture;

namespace RaftMq.NameServer.Tests;

public sealed class NameServerTcpTests
{
    [Fact]
    public async Task Registered_brokers_route_is_served_as_standard_json()
    {
        await using var kit = await StartAsync();
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T")))).Code);
        var follower = await kit.InvokeAsync(RegisterRequest("RaftNode00", 1, "127.0.0.1:30921", Topics(1, 4, "T")));

        var response = await kit.InvokeAsync(RouteRequest("T"));

        Assert.Equal(("127.0.0.1:30911", "ha-127.0.0.1:30911"), (follower.ExtFields["masterAddr"], follower.ExtFields["haServerAddr"]));
        Assert.Equal(ResponseCode.Success, response.Code);
        string json = Encoding.UTF8.GetString(response.Body.Span);
        Assert.Contains("\"brokerAddrs\":{\"0\":\"127.0.0.1:30911\",\"1\":\"127.0.0.1:30921\"}", json);
        Assert.Contains("\"filterServerTable\":{}", json);
        using var document = JsonDocument.Parse(json);
        var broker = document.RootElement.GetProperty("brokerDatas")[0];
        Assert.Equal(("DefaultCluster", "RaftNode00"), (broker.GetProperty("cluster").GetString(), broker.GetProperty("brokerName").GetString()));
        var queue = document.RootElement.GetProperty("queueDatas")[0];
        Assert.Equal("RaftNode00", queue.GetProperty("brokerName").GetString());
        Assert.Equal([4, 4, 6, 0], new[] { "readQueueNums", "writeQueueNums", "perm", "topicSysFlag" }.Select(p => queue.GetProperty(p).GetInt32()));
    }

    [Fact]
    public async Task A_start_on_a_taken_port_fails_naming_the_key_and_the_bind_error_and_stopping_afterwards_does_not_throw()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var server = new NameServer(new NameServerOptions { ListenPort = port, BindAddress = System.Net.IPAddress.Loopback });

        var refused = await Assert.ThrowsAsync<RaftMq.Foundation.Configuration.ConfigException>(() => server.StartAsync());
        Assert.IsType<System.Net.Sockets.SocketException>(refused.InnerException);
        Assert.Contains($"listenPort={port}: port {port} is already in use", refused.Message, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Unknown_topic_is_answered_with_topic_not_exist()
    {
        await using var kit = await StartAsync();

        var response = await kit.InvokeAsync(RouteRequest("Nobody"));

        Assert.Equal(ResponseCode.TopicNotExist, response.Code);
        Assert.Contains("Nobody", response.Remark);
    }

    [Fact]
    public async Task Requests_a_name_server_does_not_serve_are_answered_not_supported()
    {
        await using var kit = await StartAsync();

        var response = await kit.InvokeAsync(Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.PutKvConfig));

        Assert.Equal(ResponseCode.RequestCodeNotSupported, response.Code);
    }

    [Fact]
    public async Task Broker_is_dropped_as_soon_as_its_connection_closes()
    {
        await using var kit = await StartAsync();
        var broker = new RemotingClient();
        await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T")), broker);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(RouteRequest("T"))).Code);

        await broker.DisposeAsync();

        await WaitUntilAsync(async () => (await kit.InvokeAsync(RouteRequest("T"))).Code == ResponseCode.TopicNotExist, "the route is gone");
    }

    [Fact]
    public async Task Expiry_scan_drops_a_broker_that_stopped_registering_while_still_connected()
    {
        var options = new NameServerOptions { ScanInterval = TimeSpan.FromMilliseconds(20), BrokerExpiry = TimeSpan.FromMilliseconds(200) };
        await using var kit = await StartAsync(options);
        await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T")));

        await WaitUntilAsync(async () => (await kit.InvokeAsync(RouteRequest("T"))).Code == ResponseCode.TopicNotExist, "the broker expired");
        Assert.Equal(0, kit.Server.Routes.LiveBrokerCount);
    }

    [Fact]
    public async Task Cluster_info_and_topic_list_are_served()
    {
        await using var kit = await StartAsync();
        await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "B", "A")));

        var clusterResponse = await kit.InvokeAsync(Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.GetBrokerClusterInfo));
        var topicsResponse = await kit.InvokeAsync(Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.GetAllTopicListFromNameServer));

        var cluster = ProtocolJson.Decode<ClusterInfo>(clusterResponse.Body.Span);
        Assert.Equal(["RaftNode00"], cluster.ClusterAddrTable["DefaultCluster"]);
        Assert.Equal("127.0.0.1:30911", cluster.BrokerAddrTable["RaftNode00"].BrokerAddrs[0]);
        Assert.Equal("{\"topicList\":[\"A\",\"B\"]}", Encoding.UTF8.GetString(topicsResponse.Body.Span));
    }

    [Fact]
    public async Task Data_version_query_tells_whether_the_registered_topics_are_current()
    {
        await using var kit = await StartAsync();
        await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(3, 4, "T")));

        var same = IdentityRequest(RequestCode.QueryDataVersion, "RaftNode00", 0, "127.0.0.1:30911");
        same.Body = ProtocolJson.Encode(new DataVersion { Counter = 3, Timestamp = 1000 });
        var newer = IdentityRequest(RequestCode.QueryDataVersion, "RaftNode00", 0, "127.0.0.1:30911");
        newer.Body = ProtocolJson.Encode(new DataVersion { Counter = 4, Timestamp = 1000 });
        var sameResponse = await kit.InvokeAsync(same);
        var newerResponse = await kit.InvokeAsync(newer);

        Assert.False(QueryDataVersionResponseHeader.FromExtFields(sameResponse.ExtFields).Changed);
        Assert.True(QueryDataVersionResponseHeader.FromExtFields(newerResponse.ExtFields).Changed);
        Assert.Equal(new DataVersion { Counter = 3, Timestamp = 1000 }, ProtocolJson.Decode<DataVersion>(newerResponse.Body.Span));
    }

    [Fact]
    public async Task Unregistered_broker_leaves_the_routes()
    {
        await using var kit = await StartAsync();
        await kit.InvokeAsync(RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T")));

        var response = await kit.InvokeAsync(IdentityRequest(RequestCode.UnregisterBroker, "RaftNode00", 0, "127.0.0.1:30911"));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(ResponseCode.TopicNotExist, (await kit.InvokeAsync(RouteRequest("T"))).Code);
    }

    [Fact]
    public async Task Registration_with_a_wrong_body_crc_is_refused_and_changes_nothing()
    {
        await using var kit = await StartAsync();
        var request = RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T"));
        request.ExtFields.Set("bodyCrc32", (Crc32Ieee.BodyCrc(request.Body.Span) ^ 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var response = await kit.InvokeAsync(request);

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Equal(ResponseCode.TopicNotExist, (await kit.InvokeAsync(RouteRequest("T"))).Code);
    }

    [Fact]
    public async Task Registration_with_a_correct_body_crc_is_accepted()
    {
        await using var kit = await StartAsync();
        var request = RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T"));
        request.ExtFields.Set("bodyCrc32", Crc32Ieee.BodyCrc(request.Body.Span).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(request)).Code);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(RouteRequest("T"))).Code);
    }

    [Fact]
    public async Task Compressed_registration_is_refused_with_a_hint()
    {
        await using var kit = await StartAsync();
        var request = RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T"));
        request.ExtFields.Set("compressed", "true");

        var response = await kit.InvokeAsync(request);

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("compressedRegister", response.Remark);
    }

    [Fact]
    public async Task Registration_missing_a_required_header_is_refused()
    {
        await using var kit = await StartAsync();
        var request = RegisterRequest("RaftNode00", 0, "127.0.0.1:30911", Topics(1, 4, "T"));
        request.ExtFields.Remove("brokerAddr");

        var response = await kit.InvokeAsync(request);

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("brokerAddr", response.Remark);
    }
}
