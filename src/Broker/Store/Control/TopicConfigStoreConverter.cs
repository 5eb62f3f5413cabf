using System.Text.Json;
using System.Text.Json.Serialization;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Store.Control;

/// <summary>
/// The store's JSON of a topic (TopicUpsert records and the checkpoint): <c>name, readQueueNums, writeQueueNums,
/// perm, order, topicSysFlag</c>, the shape every committed log already holds. It differs from the wire shape of
/// <see cref="TopicConfig"/> (topicName, topicFilterType), so the store does not use the type's attributes.
/// </summary>
internal sealed class TopicConfigStoreConverter : JsonConverter<TopicConfig>
{
    public override TopicConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a topic configuration must be a JSON object");
        string name = "";
        int readQueueNums = 0, writeQueueNums = 0, perm = PermName.ReadWrite, topicSysFlag = 0;
        bool order = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string property = reader.GetString() ?? "";
            reader.Read();
            switch (property)
            {
                case "name": name = reader.GetString() ?? ""; break;
                case "readQueueNums": readQueueNums = reader.GetInt32(); break;
                case "writeQueueNums": writeQueueNums = reader.GetInt32(); break;
                case "perm": perm = reader.GetInt32(); break;
                case "order": order = reader.GetBoolean(); break;
                case "topicSysFlag": topicSysFlag = reader.GetInt32(); break;
                default: reader.Skip(); break;
            }
        }
        return new TopicConfig(name, readQueueNums, writeQueueNums, perm, order, topicSysFlag);
    }

    public override void Write(Utf8JsonWriter writer, TopicConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteNumber("readQueueNums", value.ReadQueueNums);
        writer.WriteNumber("writeQueueNums", value.WriteQueueNums);
        writer.WriteNumber("perm", value.Perm);
        writer.WriteBoolean("order", value.Order);
        writer.WriteNumber("topicSysFlag", value.TopicSysFlag);
        writer.WriteEndObject();
    }
}
