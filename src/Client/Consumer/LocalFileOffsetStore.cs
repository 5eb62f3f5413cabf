using System.Text.Json;
using System.Text.Json.Serialization;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>
/// Broadcasting offsets, kept per consumer in <c>{directory}/{clientId}/{group}/offsets.json</c>; each write goes to a
/// temporary file that then replaces the old one, so a crash never leaves a half-written file.
/// </summary>
internal sealed class LocalFileOffsetStore : OffsetStore
{
    private readonly string _path;
    private readonly Lock _fileLock = new();
    private readonly Dictionary<MessageQueue, long> _loaded = [];

    public LocalFileOffsetStore(string directory, string clientId, string group)
    {
        string safeClient = string.Concat(clientId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_'));
        _path = Path.Combine(directory, safeClient, group, "offsets.json");
        Load();
    }

    public string FilePath => _path;

    public override Task<long> ReadStoredAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        lock (_fileLock) return Task.FromResult(_loaded.TryGetValue(queue, out long offset) ? offset : -1);
    }

    public override Task PersistAsync(IReadOnlyCollection<MessageQueue> queues, CancellationToken cancellationToken)
    {
        var changed = Changed(queues);
        if (changed.Count == 0) return Task.CompletedTask;
        lock (_fileLock)
        {
            foreach (var (queue, offset) in All) _loaded[queue] = offset;
            var file = new OffsetFile();
            foreach (var (queue, offset) in _loaded)
            {
                file.Offsets.Add(new OffsetEntry { Topic = queue.Topic, BrokerName = queue.BrokerName, QueueId = queue.QueueId, Offset = offset });
            }
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            string temporary = _path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(file, OffsetFileJson.Default.OffsetFile));
            File.Move(temporary, _path, overwrite: true);
        }
        foreach (var (queue, offset) in changed) MarkPersisted(queue, offset);
        return Task.CompletedTask;
    }

    private void Load()
    {
        if (!File.Exists(_path)) return;
        OffsetFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(_path), OffsetFileJson.Default.OffsetFile);
        }
        catch (JsonException ex)
        {
            throw new MQClientException($"Offset file {_path} is not valid JSON: {ex.Message}", ex);
        }
        foreach (var entry in file?.Offsets ?? [])
        {
            var queue = new MessageQueue { Topic = entry.Topic, BrokerName = entry.BrokerName, QueueId = entry.QueueId };
            _loaded[queue] = entry.Offset;
            Update(queue, entry.Offset, increaseOnly: false);
            MarkPersisted(queue, entry.Offset);
        }
    }
}

internal sealed class OffsetFile
{
    [JsonPropertyName("offsets")]
    public List<OffsetEntry> Offsets { get; set; } = [];
}

internal sealed class OffsetEntry
{
    [JsonPropertyName("topic")]
    public string Topic { get; set; } = "";

    [JsonPropertyName("brokerName")]
    public string BrokerName { get; set; } = "";

    [JsonPropertyName("queueId")]
    public int QueueId { get; set; }

    [JsonPropertyName("offset")]
    public long Offset { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(OffsetFile))]
internal sealed partial class OffsetFileJson : JsonSerializerContext;
