using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace JointEfforts.Api.Participants;

public sealed record ImportQuery(
    [property: Description("true: nothing is stored; the answer (200) lists every row as read with its errors, and the duplicates. Default false.")] bool? DryRun,
    [property: Range(1, int.MaxValue), Description("Also enrol every imported (created or matched) participant in this open course, in file order, with the usual capacity rules.")] int? CourseId,
    [property: Range(1, int.MaxValue), Description("The programme whose remembered column mapping applies (default: the course's programme with courseId).")] int? ProjectId,
    [property: StringLength(4000), Description("""A JSON object choosing a field for headers the import does not recognise, e.g. {"Darbavieta":"organisation","Piezīmes":"ignore"}. Fields: fullName, firstName, lastName, email, organisation, sector, countryCode, seniority, jobTitle, ignore. Remembered for the programme by a successful import.""")] string? Mapping);

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

/// <summary>What <see cref="ParticipantSheet.Check(List{ValueTuple{int, string[]}}, IReadOnlyDictionary{string, string}?)"/> found.</summary>
public sealed record SheetCheck(List<ImportRow> Rows, List<ImportError> Errors, Dictionary<string, int> Columns, List<string> Unrecognised)
{
    /// <summary>The header row as written.</summary>
    public string[] Header { get; set; } = [];

    /// <summary>Every participant row as read, valid or not: values in their API form where recognised, else as written.</summary>
    public List<PreviewParticipant> Read { get; } = [];
}

/// <summary>A row of the list as the import read it (the dry run's preview).</summary>
public sealed record PreviewParticipant(
    [property: System.Text.Json.Serialization.JsonIgnore] int Row,
    string FullName,
    string? Email,
    string Organisation,
    [property: Description("The sector's API name when recognised, else the cell as written (and the row has an error).")] string Sector,
    [property: Description("The ISO code when recognised, else the cell as written (and the row has an error).")] string CountryCode,
    [property: Description("senior, field or unknown (an empty cell or no seniority column) when recognised, else the cell as written.")] string Seniority);

/// <summary>One row of the dry run: the participant as read and its errors (none: it would be imported).</summary>
public sealed record PreviewRow(int Row, PreviewParticipant? Participant, IReadOnlyList<ImportError> Errors);

/// <summary>Two rows of the file that are one person, or a row that is someone already known (who would be matched, not created).</summary>
public sealed record ImportDuplicate(
    int Row,
    [property: Description("The earlier row of the same file, for a duplicate inside the file.")] int? SameAsRow,
    [property: Description("The participant already known, for a duplicate of someone registered.")] int? ParticipantId,
    [property: Description("email: the same e-mail address; name: the same name, organisation and country.")] string Reason);

/// <summary>
/// The dry run (<c>?dryRun=true</c>): every row with its errors, the duplicates, and what a real import would do; nothing
/// is stored. <c>errors</c> holds the faults of the file itself (header, limits); a row's own faults are in its row.
/// </summary>
public sealed record ImportPreview(
    bool DryRun,
    [property: Description("True when the real import would succeed: no error in the file or any row.")] bool Valid,
    IReadOnlyList<PreviewRow> Rows,
    IReadOnlyList<ImportDuplicate> Duplicates,
    IReadOnlyList<ImportError> Errors,
    [property: Description("How each recognised column was read: header as written → field.")] IReadOnlyDictionary<string, string> Columns,
    [property: Description("Headers the import did not recognise: choose a field for each with ?mapping= (remembered for the programme).")] IReadOnlyList<string> UnrecognisedHeaders,
    int Created,
    int Matched,
    int Enrolled,
    int Waitlisted,
    int AlreadyEnrolled);
