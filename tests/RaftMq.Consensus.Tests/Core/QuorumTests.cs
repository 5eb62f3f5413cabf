using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

public sealed class QuorumTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    [InlineData(7, 4)]
    public void Quorum_is_a_strict_majority_for_odd_and_even_groups(int voters, int expected)
    {
        Assert.Equal(expected, Quorum.Size(voters));
        // Two disjoint sets of voters can never both be a quorum.
        Assert.True(2 * Quorum.Size(voters) > voters);
    }

    [Theory]
    [InlineData(new long[] { 9, 4 }, 4)]
    [InlineData(new long[] { 9, 7, 4, 1 }, 4)]
    [InlineData(new long[] { 1, 9, 4, 7 }, 4)]
    [InlineData(new long[] { 9, 7, 4, 1, 0, 8 }, 4)]
    [InlineData(new long[] { 5 }, 5)]
    public void Majority_index_of_an_even_group_needs_more_than_half(long[] matches, long expected)
    {
        Assert.Equal(expected, Quorum.MajorityIndex(matches.ToArray()));
    }
}
