using System.Globalization;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client;

/// <summary>
/// A message to send: topic, body, tags, keys, delay level and free-form properties. The producer sets the
/// <c>UNIQ_KEY</c> property (the message id) on the instance it sends.
/// </summary>
public class Message
{
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates a message for <paramref name="topic"/>.</summary>
    public Message(string topic, byte[] body, string? tags = null, string? keys = null)
    {
        Topic = topic;
        Body = body;
        Tags = tags;
        Keys = keys;
    }

    /// <summary>Creates an empty message; used for decoded messages.</summary>
    protected Message()
    {
        Topic = "";
        Body = [];
    }

    /// <summary>Destination topic.</summary>
    public string Topic { get; set; }

    /// <summary>Payload (uncompressed; the producer compresses large bodies on the wire).</summary>
    public byte[] Body { get; set; }

    /// <summary>User flag stored with the message.</summary>
    public int Flag { get; set; }

    /// <summary>All properties, system ones (TAGS, KEYS, DELAY, UNIQ_KEY...) included.</summary>
    public IReadOnlyDictionary<string, string> Properties => _properties;

    /// <summary>The tag consumers filter on ("TagA"), or null.</summary>
    public string? Tags
    {
        get => GetProperty(MessageProperty.Tags);
        set => SetOrRemove(MessageProperty.Tags, value);
    }

    /// <summary>Business keys, space-separated, indexed by the broker; or null.</summary>
    public string? Keys
    {
        get => GetProperty(MessageProperty.Keys);
        set => SetOrRemove(MessageProperty.Keys, value);
    }

    /// <summary>Delay level 1..18 (1s 5s 10s 30s 1m ... 2h); 0 delivers at once.</summary>
    public int DelayTimeLevel
    {
        get => int.TryParse(GetProperty(MessageProperty.DelayTimeLevel), NumberStyles.None, CultureInfo.InvariantCulture, out int level) ? level : 0;
        set => SetOrRemove(MessageProperty.DelayTimeLevel, value > 0 ? value.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// When to deliver the message (property <c>__STARTDELIVERTIME</c>, Unix ms, as ali-ons sets it), or null. The broker
    /// holds it in its delay levels until then; it arrives at most one shortest level (1 s by default) late.
    /// </summary>
    public DateTimeOffset? DeliverAt
    {
        get => long.TryParse(GetProperty(MessageProperty.StartDeliverTime), NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        set => SetOrRemove(MessageProperty.StartDeliverTime, value?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the broker answers only after the message is stored (property WAIT); default true.</summary>
    public bool WaitStoreMsgOk
    {
        get => GetProperty(MessageProperty.WaitStoreMsgOk) is not "false";
        set => SetOrRemove(MessageProperty.WaitStoreMsgOk, value ? null : "false");
    }

    /// <summary>Sets several keys at once (joined with spaces).</summary>
    public void SetKeys(IEnumerable<string> keys) => Keys = string.Join(MessageProperty.KeySeparator, keys);

    /// <summary>The property's value, or null.</summary>
    public string? GetProperty(string name) => _properties.GetValueOrDefault(name);

    /// <summary>Sets a property; names and values must not contain the separator characters \u0001 and \u0002.</summary>
    public void SetProperty(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (ContainsSeparator(name) || ContainsSeparator(value))
        {
            throw new ArgumentException($"Property {name} contains a reserved separator character (\\u0001 or \\u0002).", nameof(name));
        }
        _properties[name] = value;
    }

    /// <summary>Removes a property; true if it was present.</summary>
    public bool RemoveProperty(string name) => _properties.Remove(name);

    /// <inheritdoc />
    public override string ToString() =>
        $"Message[topic={Topic}, tags={Tags}, keys={Keys}, body={Body.Length} bytes, properties={_properties.Count}]";

    private void SetOrRemove(string name, string? value)
    {
        if (value is null) _properties.Remove(name);
        else SetProperty(name, value);
    }

    private static bool ContainsSeparator(string text) =>
        text.Contains(MessageProperties.NameValueSeparator) || text.Contains(MessageProperties.PropertySeparator);
}
