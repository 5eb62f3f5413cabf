namespace RaftMq.Chaos.Network;

/// <summary>A directed link between two group members: traffic that <paramref name="From"/> sends to <paramref name="To"/>.</summary>
public readonly record struct Link(string From, string To)
{
    public override string ToString() => $"{From}->{To}";
}

/// <summary>
/// Which directed links are cut. Pure: built from node ids (and a seeded <see cref="Random"/> for the
/// random variants) so nemesis choices are reproducible and testable without sockets.
/// </summary>
public sealed record PartitionPlan(string Description, IReadOnlySet<Link> Cuts)
{
    public static PartitionPlan None { get; } = new("healed", new HashSet<Link>());

    public bool IsCut(string from, string to) => Cuts.Contains(new Link(from, to));

    /// <summary>Nodes in different components cannot talk; nodes in one component can.</summary>
    public static PartitionPlan Components(string description, params IReadOnlyCollection<string>[] components)
    {
        var cuts = new HashSet<Link>();
        for (var i = 0; i < components.Length; i++)
        {
            for (var j = 0; j < components.Length; j++)
            {
                if (i == j)
                {
                    continue;
                }

                foreach (var from in components[i])
                {
                    foreach (var to in components[j])
                    {
                        cuts.Add(new Link(from, to));
                    }
                }
            }
        }

        return new PartitionPlan(description, cuts);
    }

    /// <summary>The node can neither send to nor hear from anyone.</summary>
    public static PartitionPlan Isolate(IReadOnlyList<string> nodes, string node)
    {
        RequireMember(nodes, node);
        return Components($"isolate {node}", [node], [.. nodes.Where(n => n != node)]);
    }

    /// <summary>Two sides that cannot talk to each other; <paramref name="sideA"/> and the rest.</summary>
    public static PartitionPlan Halves(IReadOnlyList<string> nodes, IReadOnlyCollection<string> sideA)
    {
        foreach (var node in sideA)
        {
            RequireMember(nodes, node);
        }

        var sideB = nodes.Where(n => !sideA.Contains(n)).ToList();
        return Components($"halves {string.Join(",", sideA)} | {string.Join(",", sideB)}", sideA, sideB);
    }

    /// <summary>Random halves: a shuffled minority (⌊n/2⌋ nodes) against the majority.</summary>
    public static PartitionPlan RandomHalves(IReadOnlyList<string> nodes, Random random) =>
        Halves(nodes, Shuffled(nodes, random).Take(nodes.Count / 2).ToList());

    /// <summary>
    /// Five nodes in the given order a b c d e: {a,b} and {d,e} are cut from each other, c (the bridge)
    /// talks to everyone. Both sides plus the bridge are 3 nodes: each side sees a majority.
    /// </summary>
    public static PartitionPlan Bridge(IReadOnlyList<string> order)
    {
        RequireFive(order, "bridge");
        var plan = Components("bridge", [order[0], order[1]], [order[3], order[4]]);
        return plan with { Description = $"bridge {order[0]},{order[1]} | {order[2]} | {order[3]},{order[4]}" };
    }

    /// <summary>
    /// Majorities ring: five nodes in ring order, each talks only to its two ring neighbours, so every
    /// node sees a majority (itself and two others) but no two nodes see the same majority.
    /// </summary>
    public static PartitionPlan MajoritiesRing(IReadOnlyList<string> ring)
    {
        RequireFive(ring, "majorities ring");
        var cuts = new HashSet<Link>();
        for (var i = 0; i < ring.Count; i++)
        {
            for (var j = 0; j < ring.Count; j++)
            {
                var distance = Math.Abs(i - j);
                if (i != j && distance != 1 && distance != ring.Count - 1)
                {
                    cuts.Add(new Link(ring[i], ring[j]));
                }
            }
        }

        return new PartitionPlan($"ring {string.Join("-", ring)}-{ring[0]}", cuts);
    }

    public static IReadOnlyList<string> Shuffled(IReadOnlyList<string> nodes, Random random)
    {
        var copy = nodes.ToArray();
        random.Shuffle(copy);
        return copy;
    }

    private static void RequireMember(IReadOnlyList<string> nodes, string node)
    {
        if (!nodes.Contains(node))
        {
            throw new ArgumentException($"'{node}' is not one of {string.Join(",", nodes)}", nameof(node));
        }
    }

    private static void RequireFive(IReadOnlyList<string> nodes, string what)
    {
        if (nodes.Count != 5)
        {
            throw new ArgumentException($"{what} needs exactly 5 nodes, got {nodes.Count}", nameof(nodes));
        }
    }
}
