using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// A request record's DataAnnotations (and its cross-field rules), checked as the JSON route checks them and said in the same
/// words (<c>title is required.</c>): the messages shown beside a page's fields are the API's messages.
/// </summary>
public static class PageValidation
{
    public static Dictionary<string, string> Check(object request)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var field = Problems.JsonFieldName(member);
                errors.TryAdd(field, Problems.JsonFieldMessage(field, result.ErrorMessage ?? "This is not valid."));
            }
        }

        return errors;
    }

    /// <summary>The first message of each field of a domain outcome.</summary>
    public static Dictionary<string, string> From(IReadOnlyDictionary<string, string[]> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.FirstOrDefault() ?? "This is not valid.", StringComparer.Ordinal);
}
