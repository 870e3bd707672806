using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Users;

public sealed record UserRequest(
    [property: Required, StringLength(100, MinimumLength = 2), RegularExpression("^[A-Za-z0-9._@-]+$", ErrorMessage = "userName may hold letters, digits and . _ @ - only.")]
    string? UserName,
    [property: Required, StringLength(200)] string? DisplayName,
    [property: Required] Role? Role,
    [property: CountryCode] string? CountryCode,
    [property: StringLength(254), EmailAddress(ErrorMessage = "email must be an e-mail address such as name@example.org.")]
    [property: System.ComponentModel.Description("Where sign-in links may also be mailed; optional (null).")]
    string? Email = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Role == Infrastructure.Role.CountryExpert && CountryCode is null)
        {
            yield return new ValidationResult("A country expert needs the countryCode of their country.", [nameof(CountryCode)]);
        }

        if (Role is not null && Role != Infrastructure.Role.CountryExpert && CountryCode is not null)
        {
            yield return new ValidationResult("Only a country expert has a countryCode.", [nameof(CountryCode)]);
        }
    }
}

public sealed record UserDto : Versioned
{
    public int Id { get; init; }

    public required string UserName { get; init; }

    public required string DisplayName { get; init; }

    public Role Role { get; init; }

    public string? CountryCode { get; init; }

    public string? Email { get; init; }

    /// <summary>Whether the user has set a password for the workspace pages (the hash itself is never shown).</summary>
    public bool HasPassword { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record TokenRequest(
    [property: Range(1, 3650)] int? ExpiresInDays);

/// <summary>The only answer that ever shows the token.</summary>
public sealed record CreatedToken(int Id, string Token, DateTime CreatedAt, DateTime? ExpiresAt);

public sealed record TokenDto
{
    public int Id { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; init; }
}

public sealed record UserQuery(
    [property: System.ComponentModel.Description("Only users of this role: admin, coordinator, countryExpert, steeringGroup.")] EnumQuery<Role>? Role);

public sealed record SignInLinkRequest(
    [property: Range(1, 30), System.ComponentModel.Description("How long the link works; 7 days when left out.")] int? ExpiresInDays);

/// <summary>The only answer that ever shows the link: the server keeps the hash of its token.</summary>
public sealed record SignInLink(string Url, DateTime ExpiresAt);
