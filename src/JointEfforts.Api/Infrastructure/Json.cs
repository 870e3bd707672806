using System.Text.Json;
using System.Text.Json.Serialization;

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

    public static IServiceCollection AddJsonConventions(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(EnumConverter);
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
}
