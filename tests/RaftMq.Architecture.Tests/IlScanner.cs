using System.Reflection;
using System.Reflection.Emit;

namespace RaftMq.Architecture.Tests;

/// <summary>
/// Finds every type a set of types refers to: in signatures (base types, interfaces, fields, parameters,
/// return types, locals) and in method bodies (tokens of call/newobj/ldfld/ldsfld/ldtoken/... resolved from
/// the IL). Generic arguments, arrays and by-refs are unwrapped.
/// </summary>
internal static class IlScanner
{
    private static readonly Dictionary<ushort, OpCode> OpCodeByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => (ushort)op.Value);

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>"Type.Member -> ForbiddenType" for every reference matching <paramref name="isForbidden"/>.</summary>
    public static List<string> FindReferences(IEnumerable<Type> types, Func<Type, bool> isForbidden)
    {
        var findings = new List<string>();
        foreach (Type type in types)
        {
            void Report(string where, Type? referenced)
            {
                foreach (Type t in Unwrap(referenced))
                {
                    if (isForbidden(t)) findings.Add($"{type.FullName}.{where} -> {t.FullName}");
                }
            }

            Report("(base)", type.BaseType);
            foreach (Type i in type.GetInterfaces()) Report("(interface)", i);
            foreach (FieldInfo field in type.GetFields(Everything)) Report(field.Name, field.FieldType);
            foreach (MethodBase method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                if (method is MethodInfo info) Report(method.Name, info.ReturnType);
                foreach (ParameterInfo parameter in method.GetParameters()) Report(method.Name, parameter.ParameterType);
                MethodBody? body = method.GetMethodBody();
                if (body is null) continue;
                foreach (LocalVariableInfo local in body.LocalVariables) Report(method.Name, local.LocalType);
                foreach (Type referenced in TypesInBody(method, body)) Report(method.Name, referenced);
            }
        }
        return findings;
    }

    private static IEnumerable<Type> TypesInBody(MethodBase method, MethodBody body)
    {
        byte[] il = body.GetILAsByteArray() ?? Array.Empty<byte>();
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int position = 0;
        while (position < il.Length)
        {
            ushort value = il[position++];
            if (value == 0xFE) value = (ushort)(0xFE00 | il[position++]);
            OpCode op = OpCodeByValue[value];
            int operandSize = OperandSize(op.OperandType, il, position);
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, position);
                foreach (Type t in TypesOfMember(method.Module.ResolveMember(token, typeArgs, methodArgs))) yield return t;
            }
            position += operandSize;
        }
    }

    private static IEnumerable<Type> TypesOfMember(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase method:
                if (method.DeclaringType is not null) yield return method.DeclaringType;
                if (method is MethodInfo info) yield return info.ReturnType;
                foreach (ParameterInfo parameter in method.GetParameters()) yield return parameter.ParameterType;
                if (method.IsGenericMethod)
                {
                    foreach (Type argument in method.GetGenericArguments()) yield return argument;
                }
                break;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };

    /// <summary>The type itself plus element types and generic arguments, recursively.</summary>
    private static IEnumerable<Type> Unwrap(Type? type)
    {
        if (type is null || type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (Type t in Unwrap(type.GetElementType())) yield return t;
            yield break;
        }
        yield return type;
        if (!type.IsGenericType) yield break;
        foreach (Type argument in type.GetGenericArguments())
        {
            foreach (Type t in Unwrap(argument)) yield return t;
        }
    }
}
