namespace RaftMq.Protocol.Headers;

/// <summary>
/// A custom-header field is missing or not parseable. Processors answer such a request with SYSTEM_ERROR and
/// this message as the remark (as Java does for a RemotingCommandException); the connection stays open.
/// </summary>
public sealed class HeaderFieldException : RemotingProtocolException
{
    public HeaderFieldException(string fieldName, string message, Exception? inner = null)
        : base(message, inner)
    {
        FieldName = fieldName;
    }

    /// <summary>The extFields key that is at fault.</summary>
    public string FieldName { get; }

    public static HeaderFieldException Missing(string fieldName) =>
        new(fieldName, $"the custom field <{fieldName}> is null");

    public static HeaderFieldException Invalid(string fieldName, string value, string expected) =>
        new(fieldName, $"the custom field <{fieldName}> has value \"{value}\", expected {expected}");
}
