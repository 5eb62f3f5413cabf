using System.Net;
using RaftMq.Foundation.Configuration;
using RaftMq.NameServer.Configuration;

namespace RaftMq.NameServer.Tests.Configuration;

public sealed class NameServerOptionsTests
{
    [Fact]
    public void Empty_configuration_gives_the_rocketmq_defaults()
    {
        var options = NameServerOptions.FromProperties(PropertiesFile.Parse("# nothing here\n\n", "namesrv.conf"));

        Assert.Equal(9876, options.ListenPort);
        Assert.Equal(IPAddress.Any, options.BindAddress);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ScanInterval);
        Assert.Equal(TimeSpan.FromSeconds(120), options.BrokerExpiry);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MasterGapGrace);
        Assert.Empty(options.UnrecognizedKeys);
    }

    [Fact]
    public void Settings_are_read_with_comments_blank_lines_and_whitespace_ignored()
    {
        const string text = """
            # a 3-node group on one machine
            listenPort = 19876
            bindAddress=127.0.0.1
            ! java-style comment
            scanNotActiveBrokerInterval=5000
            brokerChannelExpiredTime = 60000
            clientRequestThreadPoolNums=2
            defaultThreadPoolNums=3
            masterGapGraceMillis=0
            """;

        var options = NameServerOptions.FromProperties(PropertiesFile.Parse(text.Replace("\n", "\r\n"), "namesrv.conf"));

        Assert.Equal(19876, options.ListenPort);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ScanInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), options.BrokerExpiry);
        Assert.Equal((2, 3), (options.ClientRequestWorkers, options.DefaultWorkers));
        Assert.Equal(TimeSpan.Zero, options.MasterGapGrace);
        Assert.Equal("namesrv.conf", options.Source);
    }

    [Fact]
    public void Keys_the_name_server_does_not_use_are_reported_not_rejected()
    {
        var options = NameServerOptions.FromProperties(PropertiesFile.Parse("rocketmqHome=/opt/rmq\nlistenPrt=1\n", "namesrv.conf"));

        Assert.Equal(["listenPrt", "rocketmqHome"], options.UnrecognizedKeys);
    }

    [Theory]
    [InlineData("listenPort=98x76", "listenPort", "98x76", "expected an integer")]
    [InlineData("listenPort=70000", "listenPort", "70000", "between 0 and 65535")]
    [InlineData("bindAddress=localhost", "bindAddress", "localhost", "IP address")]
    [InlineData("scanNotActiveBrokerInterval=0", "scanNotActiveBrokerInterval", "0", "between 1 and")]
    [InlineData("masterGapGraceMillis=-1", "masterGapGraceMillis", "-1", "between 0 and")]
    [InlineData("brokerChannelExpiredTime=5000", "brokerChannelExpiredTime", "5000", "longer than scanNotActiveBrokerInterval")]
    public void A_bad_value_is_refused_with_key_value_and_file_named(string line, string key, string value, string reason)
    {
        var error = Assert.Throws<ConfigException>(() =>
            NameServerOptions.FromProperties(PropertiesFile.Parse("# header\n" + line, "/etc/raftmq/namesrv.conf")));

        Assert.Equal(key, error.Key);
        Assert.Equal(value, error.Value);
        Assert.Contains("/etc/raftmq/namesrv.conf", error.Message);
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_line_without_a_separator_is_refused_with_its_line_number()
    {
        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Parse("listenPort=1\nlistenPort 9876\n", "namesrv.conf"));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("namesrv.conf:2", error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "raftmq-missing-" + Guid.NewGuid().ToString("N"), "namesrv.conf");

        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Load(path));

        Assert.Contains(path, error.Message);
    }
}
