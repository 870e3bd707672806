using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace JointEfforts.Api.Infrastructure;

public static class Json
{
    /// <summary>camelCase strings on the wire and in the database; integers are refused.</summary>
    public static readonly JsonStringEnumConverter EnumConverter = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(EnumConverter);
        return options;
    }

    /// <summary>An enum's API and database name (<c>TestingAndImplementation</c> → <c>testingAndImplementation</c>).</summary>
    public static string ToWire<TEnum>(this TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string? ToWire<TEnum>(this TEnum? value) where TEnum : struct, Enum =>
        value is { } v ? v.ToWire() : null;

    public static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>Said in the summary of every PUT that takes an object: the semantics <see cref="JsonBodyCheck"/> enforces.</summary>
    public const string PutReplaces = " A PUT replaces the whole object: send every field (null leaves an optional one empty); a missing field is a 400.";

    /// <summary>Means, rates and scores carry 4 decimals on the wire: 0.4, not 0.4000000000000001.</summary>
    public const int Decimals = 4;

    /// <summary>
    /// The HTTP JSON conventions: enums as camelCase strings; strict bodies (a property the type does not
    /// have, or a key given twice, is refused; <see cref="JsonBodyCheck"/> names it first, these are the
    /// fence behind it); every double written rounded to <see cref="Decimals"/> decimals.
    /// </summary>
    public static IServiceCollection AddJsonConventions(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            var serializer = options.SerializerOptions;
            serializer.Converters.Add(EnumConverter);
            serializer.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            serializer.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            serializer.AllowDuplicateProperties = false;
            serializer.TypeInfoResolver = (serializer.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(RoundDoubles);
        });

    /// <summary>
    /// Rounds double properties as they are written. A getter wrapper rather than a converter, so the
    /// OpenAPI schema still says <c>number</c>; one mechanism for every response.
    /// </summary>
    private static void RoundDoubles(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Get is not { } get)
            {
                continue;
            }

            if (property.PropertyType == typeof(double))
            {
                property.Get = owner => Round((double)get(owner)!);
            }
            else if (property.PropertyType == typeof(double?))
            {
                property.Get = owner => get(owner) is double value ? Round(value) : null;
            }
        }
    }

    public static double Round(double value) =>
        double.IsFinite(value) ? Math.Round(value, Decimals, MidpointRounding.AwayFromZero) : value;
}
