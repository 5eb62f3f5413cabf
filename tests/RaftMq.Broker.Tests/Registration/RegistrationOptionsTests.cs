using RaftMq.Broker.Registration;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Broker.Tests.Registration;

public sealed class RegistrationOptionsTests
{
    [Fact]
    public void Name_server_list_is_split_on_semicolons_without_blanks_or_duplicates()
    {
        Assert.Equal(["a:9876", "b:9876"], NameServerRegistrarOptions.ParseAddresses(" a:9876; b:9876;;a:9876 ;"));
    }

    [Theory]
    [InlineData("", "at least one")]
    [InlineData("a:9876;nohost", "'nohost' is not a host:port")]
    [InlineData("a:98x76", "not a host:port")]
    public void Bad_name_server_list_is_refused_naming_the_key(string namesrvAddr, string reason)
    {
        var options = new NameServerRegistrarOptions
        {
            NameServerAddresses = NameServerRegistrarOptions.ParseAddresses(namesrvAddr),
            SourceFile = "broker-n0.conf",
        };

        var error = Assert.Throws<ConfigException>(options.Validate);

        Assert.Equal("namesrvAddr", error.Key);
        Assert.Contains("broker-n0.conf", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Non_positive_period_is_refused_naming_the_key()
    {
        var options = new NameServerRegistrarOptions { NameServerAddresses = ["a:9876"], RegisterPeriod = TimeSpan.Zero };

        Assert.Equal("registerNameServerPeriod", Assert.Throws<ConfigException>(options.Validate).Key);
    }

    [Theory]
    [InlineData(true, 0, 0)]
    [InlineData(true, 2, 0)]
    [InlineData(false, 0, 1)]
    [InlineData(false, 1, 2)]
    [InlineData(false, 2, 3)]
    public void Leader_announces_id_0_and_followers_their_index_plus_one(bool isLeader, int selfIndex, long expected)
    {
        Assert.Equal(expected, BrokerIds.ForRole(isLeader, selfIndex));
    }
}
