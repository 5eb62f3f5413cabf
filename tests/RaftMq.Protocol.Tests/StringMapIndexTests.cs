namespace RaftMq.Protocol.Tests;

/// <summary>A large map keeps insertion order and replace-in-place semantics once its hash index takes over.</summary>
public sealed class StringMapIndexTests
{
    [Fact]
    public void Large_map_keeps_order_replaces_in_place_and_removes()
    {
        var map = new StringMap();
        for (int i = 0; i < 100; i++) map.Set("k" + i, "v" + i);
        map.Set("k50", "replaced");
        Assert.Equal(100, map.Count);
        Assert.Equal("replaced", map["k50"]);
        Assert.Equal(new KeyValuePair<string, string>("k50", "replaced"), map.GetAt(50));

        Assert.True(map.Remove("k10"));
        Assert.False(map.ContainsKey("k10"));
        Assert.Equal("v11", map["k11"]);
        Assert.Equal("k11", map.GetAt(10).Key);
        for (int i = 0; i < 95; i++) map.Remove(map.GetAt(0).Key);
        Assert.Equal(4, map.Count);
        Assert.Equal("v99", map["k99"]);
        map.Set("k99", "again");
        Assert.Equal("again", map.GetAt(3).Value);
        map.Clear();
        Assert.Null(map["k99"]);
    }
}
