using FsCheck;
using FsCheck.Fluent;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Tests;

/// <summary>FsCheck generators for protocol values; strings are always valid UTF-16 and include awkward characters.</summary>
internal static class Generators
{
    public static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] TextPieces =
        ["a", "Z", "0", "9", " ", "-", "%", "é", "中", "\"", "\\", "/", "\n", "\u0001", "\u0002", "\u007f", "😀", "TagA", "topic"];

    /// <summary>Any text, possibly empty.</summary>
    public static readonly Gen<string> Text = Gen.ListOf(Gen.Elements(TextPieces)).Select(string.Concat);

    /// <summary>Non-empty text without the property separators (valid property names and values).</summary>
    public static readonly Gen<string> PropertyText =
        Gen.NonEmptyListOf(Gen.Elements(TextPieces.Where(p => p is not "\u0001" and not "\u0002").ToArray())).Select(string.Concat);

    public static readonly Gen<byte[]> Bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));

    public static readonly Gen<long> Int64 =
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(t => ((long)t.Item1 << 32) | (uint)t.Item2);

    public static readonly Gen<int> Int32 = Gen.Choose(int.MinValue, int.MaxValue);

    public static readonly Gen<StringMap> Map =
        Gen.ListOf(Gen.Zip(PropertyText, Text)).Select(pairs =>
        {
            var map = new StringMap();
            foreach (var (key, value) in pairs) map.Set(key, value);
            return map;
        });

    public static readonly Gen<StringMap> PropertyMap =
        Gen.ListOf(Gen.Zip(PropertyText, PropertyText)).Select(pairs =>
        {
            var map = new StringMap();
            foreach (var (key, value) in pairs) map.Set(key, value);
            return map;
        });

    /// <summary>Commands whose code and version fit both header formats (int16 in the binary one).</summary>
    public static readonly Gen<RemotingCommand> Command =
        from code in Gen.Choose(short.MinValue, short.MaxValue)
        from version in Gen.Choose(short.MinValue, short.MaxValue)
        from language in Gen.Choose(0, 12)
        from opaque in Int32
        from flag in Gen.Choose(0, 3)
        from remark in Text.OrNull()
        from fields in Map
        from body in Bytes
        from serializeType in Gen.Elements(SerializeType.Json, SerializeType.RocketMq)
        select Build(code, version, (LanguageCode)language, opaque, flag, remark, fields, body, serializeType);

    private static RemotingCommand Build(
        int code, int version, LanguageCode language, int opaque, int flag, string? remark, StringMap fields, byte[] body,
        SerializeType serializeType)
    {
        var command = new RemotingCommand
        {
            Code = code,
            Version = version,
            Language = language,
            Opaque = opaque,
            Flag = flag,
            // The binary header cannot tell an empty remark from none; both decode as null.
            Remark = serializeType == SerializeType.RocketMq && remark == "" ? null : remark,
            Body = body,
            SerializeType = serializeType,
        };
        command.SetExtFields(fields);
        return command;
    }

    public static void AssertSameCommand(RemotingCommand expected, RemotingCommand actual)
    {
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Language, actual.Language);
        Assert.Equal(expected.Opaque, actual.Opaque);
        Assert.Equal(expected.Flag, actual.Flag);
        Assert.Equal(expected.Remark, actual.Remark);
        Assert.Equal(expected.SerializeType, actual.SerializeType);
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
        Assert.Equal(expected.ExtFieldsOrNull?.ToList() ?? [], actual.ExtFieldsOrNull?.ToList() ?? []);
    }
}
