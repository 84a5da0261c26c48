using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace FunAd.Tests.Support;

/// <summary>
/// The methods an assembly's compiled code calls, read from its IL: for each method with a body, the
/// methods it calls (call, callvirt, newobj, ldftn), each named "Namespace.Type+Nested::Name(param types) return type"
/// so that a call site in one assembly and the definition in another get the same name.
/// </summary>
public sealed class IlCalls : IDisposable
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => unchecked((ushort)code.Value));

    private readonly PEReader pe;
    private readonly MetadataReader metadata;
    private readonly NameProvider names;

    public IlCalls(string assemblyPath)
    {
        pe = new PEReader(File.OpenRead(assemblyPath));
        metadata = pe.GetMetadataReader();
        names = new NameProvider(metadata);
        Methods = metadata.MethodDefinitions
            .Select(handle => (handle, definition: metadata.GetMethodDefinition(handle)))
            .Where(m => m.definition.RelativeVirtualAddress != 0)
            // Overloads by generic arity alone share a name: their calls are merged.
            .GroupBy(m => NameOf(m.handle))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(m => CallsIn(m.definition)).ToList());
    }

    /// <summary>Every method with a body, by name, with the names of the methods it calls in IL order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Methods { get; }

    public void Dispose() => pe.Dispose();

    private IReadOnlyList<string> CallsIn(MethodDefinition method)
    {
        var calls = new List<string>();
        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort value = il.ReadByte();
            if (value == 0xFE) value = (ushort)(0xFE00 | il.ReadByte());
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod:
                    var token = il.ReadInt32();
                    calls.Add(NameOf(MetadataTokens.EntityHandle(token)));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return calls;
    }

    private string NameOf(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var definition = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                var signature = definition.DecodeSignature(names, null);
                return $"{names.TypeName(definition.GetDeclaringType())}::{metadata.GetString(definition.Name)}({string.Join(",", signature.ParameterTypes)}) {signature.ReturnType}";
            case HandleKind.MemberReference:
                var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
                var parent = reference.Parent.Kind switch
                {
                    HandleKind.TypeReference => names.TypeName((TypeReferenceHandle)reference.Parent),
                    HandleKind.TypeDefinition => names.TypeName((TypeDefinitionHandle)reference.Parent),
                    HandleKind.TypeSpecification => GenericDefinitionOf(metadata.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).DecodeSignature(names, null)),
                    _ => "?",
                };
                if (reference.GetKind() != MemberReferenceKind.Method) return $"{parent}::{metadata.GetString(reference.Name)}";
                var called = reference.DecodeMethodSignature(names, null);
                return $"{parent}::{metadata.GetString(reference.Name)}({string.Join(",", called.ParameterTypes)}) {called.ReturnType}";
            case HandleKind.MethodSpecification:
                return NameOf(metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return "?";
        }
    }

    // A call on a generic type instance names the generic definition, as its definition is named.
    private static string GenericDefinitionOf(string type) => type.IndexOf('<') is var at and >= 0 ? type[..at] : type;

    /// <summary>Type names as "Namespace.Outer+Inner", generic parameters as !n and !!n.</summary>
    private sealed class NameProvider(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string TypeName(TypeDefinitionHandle handle)
        {
            var type = metadata.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil
                ? Join(metadata.GetString(type.Namespace), metadata.GetString(type.Name))
                : TypeName(declaring) + "+" + metadata.GetString(type.Name);
        }

        public string TypeName(TypeReferenceHandle handle)
        {
            var type = metadata.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? TypeName((TypeReferenceHandle)type.ResolutionScope) + "+" + metadata.GetString(type.Name)
                : Join(metadata.GetString(type.Namespace), metadata.GetString(type.Name));
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeName(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
