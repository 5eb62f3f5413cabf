namespace RaftMq.Consensus.Core;

/// <summary>Majority arithmetic over the voting members.</summary>
internal static class Quorum
{
    public static int Size(int voters) => voters / 2 + 1;

    /// <summary>
    /// The highest index that a majority of <paramref name="matches"/> has reached (the quorum-th largest value).
    /// Sorts <paramref name="matches"/> in place (descending); it is a caller-owned scratch buffer, so the hot
    /// path allocates nothing.
    /// </summary>
    public static long MajorityIndex(Span<long> matches)
    {
        // Insertion sort: groups have 3-7 members, and this runs on every acknowledgement.
        for (int i = 1; i < matches.Length; i++)
        {
            long value = matches[i];
            int j = i - 1;
            while (j >= 0 && matches[j] < value)
            {
                matches[j + 1] = matches[j];
                j--;
            }
            matches[j + 1] = value;
        }
        return matches[Size(matches.Length) - 1];
    }
}
