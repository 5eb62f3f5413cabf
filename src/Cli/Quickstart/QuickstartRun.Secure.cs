using System.Text;
using RaftMq.Cli.LocalCluster;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Cli.Quickstart;

public sealed partial class QuickstartRun
{
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What the secure cluster refuses, shown with the remark the client gets: a send signed with a wrong secret key
    /// and a send to a topic the application account has no permission on (both over TLS), and a plaintext request to
    /// the enforcing name server. One that is accepted fails the run.
    /// </summary>
    private async Task ShowRefusalsAsync(MQAdminClient admin, ClusterLayout layout, QuickstartSecurity security, CancellationToken cancellationToken)
    {
        var privateTopic = new TopicSettings { Topic = QuickstartSecurity.PrivateTopic, ReadQueueNums = 1, WriteQueueNums = 1 };
        await admin.CreateOrUpdateTopicAsync(layout.ClusterName, privateTopic, cancellationToken).ConfigureAwait(false);
        Progress($"topic {QuickstartSecurity.PrivateTopic} created by {security.Admin.AccessKey}; {security.App.AccessKey} has no permission on it");
        var wrongSecret = security.App with { SecretKey = "not-" + security.App.SecretKey };
        await ExpectRefusedSendAsync(layout, security, wrongSecret, settings.Topic, "a send signed with a wrong secret key", cancellationToken).ConfigureAwait(false);
        await ExpectRefusedSendAsync(layout, security, security.App, QuickstartSecurity.PrivateTopic,
            $"a send by {security.App.AccessKey} to {QuickstartSecurity.PrivateTopic}", cancellationToken).ConfigureAwait(false);

        await using var plaintext = new RemotingClient();
        var request = RemotingCommand.CreateRequest(RequestCode.GetAllTopicListFromNameServer);
        try
        {
            await plaintext.InvokeAsync(layout.NameServerAddress, request, RefusalTimeout, cancellationToken).ConfigureAwait(false);
            _securityFailures.Add("a plaintext request to the name server (tlsMode=enforcing) was answered");
            Progress("NOT REFUSED: a plaintext request to the name server was answered");
        }
        catch (RemotingException e)
        {
            Progress($"refused as expected, a plaintext request to the name server: {e.Message}");
        }
    }

    private async Task ExpectRefusedSendAsync(ClusterLayout layout, QuickstartSecurity security, AclCredentials credentials, string topic, string what,
        CancellationToken cancellationToken)
    {
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [layout.NameServerAddress], ProducerGroup = QuickstartWorkload.ProducerGroup, InstanceName = "quickstart-refused",
            Credentials = credentials, Tls = security.ClientTls, CreateTopicKey = null, RetryTimesWhenSendFailed = 0,
        }, loggers);
        await producer.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await producer.SendAsync(new Message(topic, Encoding.ASCII.GetBytes("must be refused")), cancellationToken).ConfigureAwait(false);
            _securityFailures.Add(what + " was accepted");
            Progress($"NOT REFUSED: {what} was stored");
        }
        catch (MQException e)
        {
            Progress($"refused as expected, {what}: {e.Message}");
        }
    }

    /// <summary>The commands a user runs against the secure cluster (TLS authority and keys spelled out).</summary>
    private void PrintSecureCommands(ClusterLayout layout, QuickstartSecurity security, bool running)
    {
        string connect = $"-n {layout.NameServerAddress} --tls-ca-file {security.CaFile}";
        string asAdmin = $"{connect} --access-key {security.Admin.AccessKey} --secret-key {security.Admin.SecretKey}";
        string asApp = $"{connect} --access-key {security.App.AccessKey} --secret-key {security.App.SecretKey}";
        output.WriteLine();
        output.WriteLine($"secure cluster: confs, plain_acl.yml and certificates in {security.Directory} (fresh secrets every run)");
        output.WriteLine(running
            ? "commands to run against it (another shell; this one keeps it running):"
            : "the cluster is stopped; `raftmq quickstart --secure --keep-running` keeps it up for these commands:");
        output.WriteLine($"  RAFTMQ='{launcher}'");
        output.WriteLine($"  $RAFTMQ admin clusterList {asAdmin}");
        output.WriteLine($"  $RAFTMQ admin topicList {asAdmin}");
        output.WriteLine($"  $RAFTMQ produce {asApp} -t {settings.Topic} -c 10");
        output.WriteLine($"  $RAFTMQ consume {asApp} -t {settings.Topic} -g {QuickstartSecurity.CliConsumerGroup} -c 10 --timeout 30s");
        output.WriteLine($"  $RAFTMQ dashboard {asAdmin} --port 8080");
        output.WriteLine("  refused:");
        output.WriteLine($"  $RAFTMQ produce {asApp} -t {QuickstartSecurity.PrivateTopic} -c 1   # no permission on the topic");
        output.WriteLine($"  $RAFTMQ produce {connect} --access-key {security.App.AccessKey} --secret-key wrong -t {settings.Topic} -c 1   # wrong secret");
        output.WriteLine($"  $RAFTMQ admin topicList -n {layout.NameServerAddress}   # plaintext against tlsMode=enforcing");
    }
}
