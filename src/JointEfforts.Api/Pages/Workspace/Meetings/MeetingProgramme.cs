using System.Data.Common;
using Dapper;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>What a meeting's form offers from its programme: the dates a meeting must lie within, and the phases to choose.</summary>
public sealed record MeetingProgramme
{
    public int Id { get; init; }

    public required string Title { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public IReadOnlyList<PhaseOption> Phases { get; init; } = [];

    /// <summary>The programme and its phases in one round trip; null for an unknown programme.</summary>
    public static async Task<MeetingProgramme?> ReadAsync(DbConnection db, int projectId)
    {
        using var results = await db.QueryMultipleAsync(
            """
            SELECT id AS Id, title AS Title, start_date AS StartDate, end_date AS EndDate FROM projects WHERE id = @projectId;
            SELECT id AS Id, number AS Number, name AS Name FROM phases WHERE project_id = @projectId ORDER BY number;
            """,
            new { projectId });
        var programme = await results.ReadSingleOrDefaultAsync<MeetingProgramme>();
        var phases = (await results.ReadAsync<PhaseOption>()).ToList();
        return programme is null ? null : programme with { Phases = phases };
    }

    public sealed record PhaseOption
    {
        public int Id { get; init; }

        public int Number { get; init; }

        public required string Name { get; init; }
    }
}

/// <summary>The model of <c>_MeetingFields</c>: the form, its messages and the programme it belongs to.</summary>
public sealed record MeetingFields(MeetingForm Form, IReadOnlyDictionary<string, string> Errors, MeetingProgramme Programme);
