using RaftMq.Foundation.Configuration;

namespace RaftMq.Foundation.Tests.Configuration;

public class PropertiesFileTests
{
    [Fact]
    public void Comments_blank_lines_whitespace_separators_continuations_and_escapes_are_understood()
    {
        var file = PropertiesFile.Parse("""
            # a comment
            ! another comment

              brokerName =  RaftNode00  
            listenPort:30911
            dLegerPeers=n0-127.0.0.1:40911;\
                        n1-127.0.0.1:40912
            escaped=tab\there\u0041\=\\
            empty=
            """, "broker.conf");

        Assert.Equal("RaftNode00", file.GetString("brokerName"));
        Assert.Equal(30911, file.GetInt32("listenPort", 0));
        Assert.Equal("n0-127.0.0.1:40911;n1-127.0.0.1:40912", file.GetString("dLegerPeers"));
        Assert.Equal("tab\thereA=\\", file.GetString("escaped"));
        Assert.Equal("", file.GetString("empty"));
        Assert.Equal(4, file.Find("brokerName")!.LineNumber);
        Assert.Equal(6, file.Find("dLegerPeers")!.LineNumber);
        Assert.Equal("broker.conf", file.FilePath);
    }

    [Theory]
    [InlineData("just some words")]
    [InlineData("=value")]
    [InlineData("two words=value")]
    public void A_malformed_line_is_an_error_naming_the_file_and_line(string line)
    {
        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Parse($"a=1\n{line}\n", "/etc/raftmq/broker.conf"));
        Assert.Equal("/etc/raftmq/broker.conf", error.FilePath);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("/etc/raftmq/broker.conf:2", error.Message);
        Assert.Contains("malformed", error.Message);
    }

    [Fact]
    public void Typed_values_that_do_not_parse_name_key_value_file_and_line()
    {
        var file = PropertiesFile.Parse("a=1\nlistenPort=30x11\nflag=yes\nbig=99999\n", "b.conf");

        var error = Assert.Throws<ConfigException>(() => file.GetInt32("listenPort", 0));
        Assert.Equal(("listenPort", "30x11", "b.conf", 2), (error.Key, error.Value, error.FilePath, error.LineNumber));
        Assert.Contains("b.conf:2: listenPort=30x11", error.Message);

        Assert.Equal("yes", Assert.Throws<ConfigException>(() => file.GetBoolean("flag", false)).Value);
        Assert.Contains("between 1 and 100", Assert.Throws<ConfigException>(() => file.GetInt32("big", 5, 1, 100)).Message);
        Assert.Contains("one of ON, OFF", Assert.Throws<ConfigException>(() => file.GetChoice("a", 0, ("ON", 1), ("OFF", 2))).Message);
    }

    [Fact]
    public void Absent_keys_take_defaults_and_required_keys_say_they_are_missing()
    {
        var file = PropertiesFile.Parse("", "b.conf");
        Assert.Equal(7, file.GetInt32("x", 7));
        Assert.True(file.GetBoolean("y", true));
        Assert.Null(file.GetString("z"));
        var error = Assert.Throws<ConfigException>(() => file.GetRequiredString("dLegerGroup"));
        Assert.Null(error.Value);
        Assert.Contains("dLegerGroup (not set)", error.Message);
    }

    [Fact]
    public void Keys_nobody_read_and_keys_set_twice_are_reported()
    {
        var file = PropertiesFile.Parse("a=1\nb=2\ntypo=3\nb=4\n", "b.conf");
        Assert.Equal(1, file.GetInt32("a", 0));
        Assert.Equal(4, file.GetInt32("b", 0));
        Assert.Equal(["typo"], file.UnreadEntries().Select(e => e.Key));
        var overridden = Assert.Single(file.OverriddenEntries());
        Assert.Equal(("b", "2", 2), (overridden.Key, overridden.Value, overridden.LineNumber));
    }

    [Fact]
    public void Loading_a_missing_file_names_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"raftmq-missing-{Guid.NewGuid():N}.conf");
        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Load(path));
        Assert.Equal(path, error.FilePath);
    }
}
