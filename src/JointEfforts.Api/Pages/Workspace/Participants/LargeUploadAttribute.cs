using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace JointEfforts.Api.Pages.Workspace.Participants;

/// <summary>
/// A page that takes a participant list: its requests may be as large as the import route's (<see cref="HttpPipeline.LargeBody"/>,
/// read by the request limit of every route), plus room for the list carried back, base64, from the preview to the import.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LargeUploadAttribute : Attribute, IPageApplicationModelConvention
{
    /// <summary>A 10 MB list as base64 (4/3) with the form around it.</summary>
    public const long MaxBytes = HttpPipeline.MaxImportBodyBytes * 4 / 3 + (1024 * 1024);

    public void Apply(PageApplicationModel model) => model.EndpointMetadata.Add(new HttpPipeline.LargeBody(MaxBytes));
}
