using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace RaftMq.Dashboard;

/// <summary>The css, js and vendored chart library, served from the assembly's embedded resources (wwwroot/...).</summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8", [".js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    public static IReadOnlyCollection<string> Names => Files.Keys;

    public static IResult Serve(string path) =>
        Files.TryGetValue(path, out byte[]? bytes) && ContentTypes.TryGetValue(Path.GetExtension(path), out string? type)
            ? Results.Bytes(bytes, type)
            : Results.NotFound();

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["wwwroot/".Length..].Replace('\\', '/')] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
