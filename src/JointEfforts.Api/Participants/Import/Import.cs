using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace JointEfforts.Api.Participants;

public sealed record ImportQuery(
    [property: Description("true: check and count only, nothing is stored. Default false.")] bool? DryRun,
    [property: Range(1, int.MaxValue), Description("Also enrol every imported (created or matched) participant in this open course, in file order, with the usual capacity rules.")] int? CourseId);

public sealed record ImportError(int Row, string? Column, string Message);

/// <summary>The answer of an import. With errors nothing was stored (all or nothing) and the answer is a 400 problem carrying these fields.</summary>
public sealed record ImportResult(
    bool DryRun,
    int Rows,
    int Created,
    int Matched,
    int Enrolled,
    int Waitlisted,
    int AlreadyEnrolled,
    IReadOnlyList<ImportError> Errors);
