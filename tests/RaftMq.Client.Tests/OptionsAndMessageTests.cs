using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests;

public sealed class OptionsAndMessageTests
{
    [Fact]
    public void Options_without_name_server_are_rejected_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProducerOptions().Validate());

        Assert.Contains("NameServerAddresses", error.Message);
    }

    [Fact]
    public void Malformed_name_server_address_is_rejected_with_its_value()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProducerOptions { NameServerAddresses = ["localhost"] }.Validate());

        Assert.Contains("localhost", error.Message);
    }

    [Fact]
    public void Pull_timeout_must_exceed_the_long_polling_suspend()
    {
        var options = new PushConsumerOptions
        {
            NameServerAddresses = ["127.0.0.1:9876"], ConsumerGroup = "G",
            LongPollingSuspend = TimeSpan.FromSeconds(15), PullTimeout = TimeSpan.FromSeconds(10),
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("PullTimeout", error.Message);
    }

    [Fact]
    public void Consumer_group_is_required()
    {
        var error = Assert.Throws<ArgumentException>(() => new PushConsumer(new PushConsumerOptions { NameServerAddresses = ["127.0.0.1:9876"] }));

        Assert.Contains("ConsumerGroup", error.Message);
    }

    [Fact]
    public void Message_accessors_are_views_of_the_properties()
    {
        var message = new Message("T", [1], tags: "TagA") { DelayTimeLevel = 2, WaitStoreMsgOk = false };
        message.SetKeys(["k1", "k2"]);

        Assert.Equal("TagA", message.Properties[MessageProperty.Tags]);
        Assert.Equal("k1 k2", message.Properties[MessageProperty.Keys]);
        Assert.Equal("2", message.Properties[MessageProperty.DelayTimeLevel]);
        Assert.Equal("false", message.Properties[MessageProperty.WaitStoreMsgOk]);
        message.DelayTimeLevel = 0;
        message.Tags = null;
        Assert.False(message.Properties.ContainsKey(MessageProperty.DelayTimeLevel));
        Assert.False(message.Properties.ContainsKey(MessageProperty.Tags));
    }

    [Fact]
    public void Property_values_with_separator_characters_are_refused()
    {
        var message = new Message("T", [1]);

        Assert.Throws<ArgumentException>(() => message.SetProperty("k", "a\u0001b"));
        Assert.Throws<ArgumentException>(() => message.SetProperty("k\u0002", "v"));
    }
}
