using System.Collections.Concurrent;
using System.Text;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Integration.Tests.EndToEnd;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.Security;

/// <summary>Plain ACL against real processes, over TLS: the .NET client signs, each refusal has its remark, rules follow the log.</summary>
[Collection(SecureClusterCollection.Name)]
public sealed class AclEndToEndTests(SecureCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = E2ECluster.Deadline;

    public async Task InitializeAsync() => await cluster.CreateTopicAsync(SecureCluster.Topic, 2);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Signed_dotnet_producer_and_consumer_exchange_messages()
    {
        await using var producer = await StartProducerAsync(SecureCluster.Producer, "acl-e2e-producer");
        await SendEventuallyAsync(producer, "signed-1");
        var received = new ConcurrentDictionary<string, int>();
        await using var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer],
            ConsumerGroup = SecureCluster.Group,
            InstanceName = "acl-e2e-consumer",
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
            OffsetStoreDirectory = Path.Combine(cluster.Root, "offsets"),
            Credentials = SecureCluster.Consumer,
            Tls = cluster.ClientTls,
        });
        consumer.Subscribe(SecureCluster.Topic);
        await consumer.StartAsync(E2EClients.Recorder(received));

        await Poll.UntilTrueAsync(_ => Task.FromResult(received.ContainsKey("signed-1")), Deadline, TimeSpan.FromMilliseconds(100),
            "the consumer to receive the signed message", CancellationToken.None);
    }

    [Fact]
    public async Task Each_refusal_has_its_own_remark_stores_nothing_and_keeps_the_connection()
    {
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        long before = await MaxOffsetAsync();
        await using var client = TlsRemotingClient();

        var cases = new (AclCredentials? Signer, string Topic, string Remark, bool DropSignature)[]
        {
            (null, SecureCluster.Topic, "No accessKey is configured", false),
            (SecureCluster.Producer, SecureCluster.Topic, "Check signature failed for accessKey=producer01: the request carries no Signature", true),
            (SecureCluster.Producer with { SecretKey = "not-the-secret" }, SecureCluster.Topic, "Check signature failed for accessKey=producer01", false),
            (new AclCredentials("stranger01", "stranger-secret"), SecureCluster.Topic, "No acl config for stranger01", false),
            (SecureCluster.Producer, SecureCluster.DeniedTopic, "No permission for topic:AclDenied", false),
            (SecureCluster.Consumer, SecureCluster.Topic, "No default permission for topic:AclTopic", false),
        };
        var connection = await client.GetConnectionAsync(leader.Address);
        foreach (var (signer, topic, remark, dropSignature) in cases)
        {
            var request = RawSend(topic);
            if (signer is not null) AclSignature.Sign(request, signer);
            if (dropSignature) request.ExtFields.Remove(AclSignature.SignatureField);
            var response = await client.InvokeAsync(leader.Address, request, Deadline);
            Assert.Equal(ResponseCode.SystemError, response.Code);
            Assert.StartsWith(remark, response.Remark, StringComparison.Ordinal);
        }
        var createTopic = RemotingCommand.CreateRequest(RequestCode.UpdateAndCreateTopic);
        createTopic.ExtFields.Set("topic", "AclNotCreated");
        AclSignature.Sign(createTopic, SecureCluster.Producer);
        var notAdmin = await client.InvokeAsync(leader.Address, createTopic, Deadline);

        Assert.StartsWith("Need admin permission for request code=17, but accessKey=producer01 is not", notAdmin.Remark, StringComparison.Ordinal);
        Assert.Same(connection, await client.GetConnectionAsync(leader.Address));
        Assert.Equal(before, await MaxOffsetAsync());
        Assert.DoesNotContain("AclNotCreated", await cluster.Admin.GetTopicListAsync());
    }

    [Fact]
    public async Task Name_server_refuses_unsigned_writes_but_answers_route_queries()
    {
        await using var client = TlsRemotingClient();
        var register = RemotingCommand.CreateRequest(RequestCode.RegisterBroker);
        register.ExtFields.Set("brokerName", "Intruder");
        var route = RemotingCommand.CreateRequest(RequestCode.GetRouteInfoByTopic);
        route.ExtFields.Set("topic", SecureCluster.Topic);

        var refused = await client.InvokeAsync(cluster.NameServer, register, Deadline);
        var answered = await client.InvokeAsync(cluster.NameServer, route, Deadline);

        Assert.Equal(ResponseCode.SystemError, refused.Code);
        Assert.StartsWith("No accessKey is configured", refused.Remark, StringComparison.Ordinal);
        Assert.Equal(ResponseCode.Success, answered.Code);
    }

    [Fact]
    public async Task Account_added_through_the_admin_verb_reaches_every_node_and_survives_a_leader_failover()
    {
        var added = new AclCredentials("verb-user01", "verb-secret-01");
        var result = await RaftMqRun.RunAsync(cluster.Root, Deadline, "admin", "updateAclConfig", "-n", cluster.NameServer,
            "-a", added.AccessKey, "-s", added.SecretKey, "-i", "DENY", "-t", $"{SecureCluster.Topic}=PUB",
            "--access-key", SecureCluster.AdminKeys.AccessKey, "--secret-key", SecureCluster.AdminKeys.SecretKey, "--tls-ca-file", cluster.CaFile, "-l", Path.Combine(cluster.Root, "logs"));
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        await using (var producer = await StartProducerAsync(added, "acl-verb-producer"))
        {
            await SendEventuallyAsync(producer, "verb-before-failover");
        }
        await Poll.UntilTrueAsync(_ => Task.FromResult(File.ReadAllText(cluster.AclFile).Contains(added.AccessKey, StringComparison.Ordinal)),
            Deadline, TimeSpan.FromMilliseconds(100), "the leader to write the new account to plain_acl.yml", CancellationToken.None);

        var killed = await cluster.KillLeaderAsync();
        await cluster.WaitForLeaderAsync(excluding: killed);
        try
        {
            await using var producer = await StartProducerAsync(added, "acl-verb-producer-2");
            await SendEventuallyAsync(producer, "verb-after-failover");
            await using var client = TlsRemotingClient();
            var leader = await cluster.WaitForLeaderAsync(excluding: killed);
            var denied = RawSend(SecureCluster.DeniedTopic);
            AclSignature.Sign(denied, added);
            var response = await client.InvokeAsync(leader.Address, denied, Deadline);
            Assert.StartsWith("No default permission for topic:AclDenied", response.Remark, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.RestartAsync(killed);
        }
    }

    [Fact]
    public async Task Edited_file_is_proposed_and_a_bad_file_is_refused_while_the_rules_stay()
    {
        var added = new AclCredentials("file-user01", "file-secret-01");
        var current = PlainAclYaml.Parse(File.ReadAllText(cluster.AclFile));
        var edited = current.WithAccount(new PlainAccessAccount
        {
            AccessKey = added.AccessKey, SecretKey = added.SecretKey, DefaultTopicPerm = "PUB",
        }, AccountFieldsGiven.None);
        File.WriteAllText(cluster.AclFile, PlainAclYaml.Write(edited));

        await using var producer = await StartProducerAsync(added, "acl-file-producer");
        await SendEventuallyAsync(producer, "file-1");

        string good = File.ReadAllText(cluster.AclFile);
        File.WriteAllText(cluster.AclFile, "accounts:\n  - accessKey: x\n    topicPerms: [oops\n");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // several looks at the file by the leader
            await producer.SendAsync(new Message(SecureCluster.Topic, "file-2"u8.ToArray()));
        }
        finally
        {
            File.WriteAllText(cluster.AclFile, good);
        }
    }

    private async Task<MQProducer> StartProducerAsync(AclCredentials credentials, string name)
    {
        var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = name, InstanceName = name, Credentials = credentials, Tls = cluster.ClientTls,
        });
        await producer.StartAsync();
        return producer;
    }

    /// <summary>Sends once it works: a new account or leader takes a moment to reach the node that answers.</summary>
    private static Task SendEventuallyAsync(MQProducer producer, string body) =>
        Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await producer.SendAsync(new Message(SecureCluster.Topic, Encoding.UTF8.GetBytes(body)), token);
                return true;
            }
            catch (MQException)
            {
                return false;
            }
        }, Deadline, TimeSpan.FromMilliseconds(200), $"a send of {body} to be accepted", CancellationToken.None);

    /// <summary>A raw remoting client over TLS, as the cluster's ports are served to the .NET client.</summary>
    private RemotingClient TlsRemotingClient() => new(new RemotingClientOptions { Tls = cluster.ClientTls!.Load() });

    private async Task<long> MaxOffsetAsync() =>
        (await cluster.Admin.GetTopicStatusAsync(SecureCluster.Topic)).Sum(queue => queue.MaxOffset);

    /// <summary>Just what the access check reads of a send (a refused request never reaches the send processor).</summary>
    private static RemotingCommand RawSend(string topic)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        request.ExtFields.Set("a", "raw-producer");
        request.ExtFields.Set("b", topic);
        request.Body = "refused"u8.ToArray();
        return request;
    }
}
