using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Tests.Foundation;

/// <summary>
/// Dependencies point one way: features use Infrastructure, never the reverse. Infrastructure names no feature, no
/// Demo, and nothing at the root (<c>Labels</c>, which names the features' enums), neither in its usings nor in any
/// signature or method body of its compiled types.
/// </summary>
public sealed partial class DependencyTests
{
    private const string Infrastructure = "JointEfforts.Api.Infrastructure";

    private static readonly Assembly Api = typeof(MigrationRunner).Assembly;

    [Fact]
    public void InfrastructureSourcesImportNoFeatureAndNoDemo()
    {
        var folder = Path.Combine(SourceRoot(), "Infrastructure");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = StringLiteral().Replace(lines[i], "\"\"").Split("//")[0];
                foreach (Match match in ApiNamespace().Matches(line))
                {
                    if (match.Groups["name"].Value != "Infrastructure")
                    {
                        offenders.Add($"{Path.GetRelativePath(folder, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void InfrastructureTypesReferenceNoTypeOutsideInfrastructureInTheirSignaturesOrBodies()
    {
        var infrastructure = Api.GetTypes().Where(IsInfrastructure).ToList();
        var offenders = new SortedSet<string>(StringComparer.Ordinal);
        var references = 0;
        foreach (var type in infrastructure)
        {
            foreach (var (where, referenced) in References(type))
            {
                references++;
                foreach (var outside in Flatten(referenced).Where(t => t.Assembly == Api && OfTheApp(t) && !IsInfrastructure(t) && !CompilerGenerated(t)))
                {
                    offenders.Add($"{type.FullName} {where} uses {outside.FullName}");
                }
            }
        }

        Assert.True(infrastructure.Count > 50 && references > 5_000, $"the scan saw {infrastructure.Count} types and {references} references");
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    /// <summary>A type of this assembly is infrastructure when it (or the type it is nested in) lives in that namespace.</summary>
    private static bool IsInfrastructure(Type type) =>
        type.Namespace is { } ns && (ns == Infrastructure || ns.StartsWith(Infrastructure + ".", StringComparison.Ordinal));

    /// <summary>Types the app declares (source generators add theirs to System.* and Microsoft.* namespaces).</summary>
    private static bool OfTheApp(Type type) =>
        type.Namespace is null || type.Namespace == "JointEfforts.Api" || type.Namespace.StartsWith("JointEfforts.Api.", StringComparison.Ordinal);

    /// <summary>What the compiler adds to the assembly outside any namespace: <c>&lt;PrivateImplementationDetails&gt;</c>, anonymous types.</summary>
    private static bool CompilerGenerated(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace is null && type.Name.StartsWith('<');
    }

    private static IEnumerable<(string Where, Type Type)> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType)
        {
            yield return ("derives from", baseType);
        }

        foreach (var implemented in type.GetInterfaces())
        {
            yield return ("implements", implemented);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            yield return ("carries", attribute.AttributeType);
        }

        foreach (var field in type.GetFields(all))
        {
            yield return ($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            yield return ($"property {property.Name}", property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                yield return ($"{method.Name} returns", info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return ($"{method.Name} takes", parameter.ParameterType);
            }

            foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                yield return ($"{method.Name} holds", local.LocalType);
            }

            foreach (var used in BodyReferences(method))
            {
                yield return ($"{method.Name} calls", used);
            }
        }
    }

    /// <summary>The types, fields and methods a method's IL names (call, newobj, ldfld, ldsfld, ldtoken, box, castclass, ...).</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var code = il[position] == 0xFE ? TwoByte[il[position + 1]] : OneByte[il[position]];
            position += code.Size;
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                switch (member)
                {
                    case Type resolved:
                        yield return resolved;
                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType!;
                        yield return field.FieldType;
                        break;
                    case MethodBase called:
                        yield return called.DeclaringType!;
                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            yield return argument;
                        }

                        break;
                }
            }

            position += OperandSize(code.OperandType, il, position);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int position) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static readonly OpCode[] OneByte = new OpCode[256];

    private static readonly OpCode[] TwoByte = new OpCode[256];

    static DependencyTests()
    {
        foreach (var code in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!))
        {
            var value = (ushort)code.Value;
            if (code.Size == 1)
            {
                OneByte[value] = code;
            }
            else
            {
                TwoByte[value & 0xFF] = code;
            }
        }
    }

    /// <summary>A type with its element type and generic arguments, all the way down (<c>List&lt;CourseDto[]&gt;</c>).</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }

    private static string SourceRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "JointEfforts.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("JointEfforts.sln not found above the test binaries");
        }

        return Path.Combine(root.FullName, "src", "JointEfforts.Api");
    }

    /// <summary><c>using JointEfforts.Api.Courses;</c>, <c>JointEfforts.Api.Demo.DemoSeed</c>, <c>using static JointEfforts.Api.Labels</c>.</summary>
    [GeneratedRegex(@"\bJointEfforts\.Api(?:\.(?<name>[A-Za-z_][A-Za-z0-9_]*))?\b")]
    private static partial Regex ApiNamespace();

    [GeneratedRegex(@"@?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
