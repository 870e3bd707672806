using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Meetings;

/// <summary>
/// The rules of a meeting's recommendations, for <c>/api/meetings/{id}/recommendations</c>, <c>/api/recommendations/{id}</c>
/// and the workspace's meeting pages alike: a due date is never before the meeting that made the recommendation; the status
/// moves open ⇄ inProgress and either → implemented | dropped, which are final (409). Each write is one write-queue
/// transaction.
/// </summary>
public static class RecommendationService
{
    internal const string SelectRecommendation = """
        SELECT r.id AS Id, r.meeting_id AS MeetingId, m.title AS MeetingTitle, m.project_id AS ProjectId, r.text AS Text,
               r.owner AS Owner, r.due_date AS DueDate, r.status AS Status,
               (r.status IN ('open', 'inProgress') AND r.due_date IS NOT NULL AND r.due_date < @today) AS Overdue,
               r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, r.version AS Version
        FROM recommendations r JOIN meetings m ON m.id = r.meeting_id
        """;

    public static async Task<Outcome<RecommendationDto>> CreateAsync(DbConnection db, int id, RecommendationRequest request, DateOnly today)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meetingStart = await db.QuerySingleOrDefaultAsync<DateOnly?>(
            "SELECT start_date FROM meetings WHERE id = @id", new { id }, transaction);
        if (meetingStart is not { } start)
        {
            return new Outcome<RecommendationDto>.NotFound("Meeting", id);
        }

        if (request.DueDate is { } due && due < start)
        {
            return Outcome<RecommendationDto>.Field("dueDate", DueTooEarly(start));
        }

        var recommendationId = await db.ExecuteScalarAsync<long>(
            "INSERT INTO recommendations (meeting_id, text, owner, due_date) VALUES (@id, @Text, @Owner, @DueDate) RETURNING id",
            new { id, request.Text, request.Owner, request.DueDate }, transaction);
        var recommendation = await ReadAsync(db, recommendationId, today, transaction);
        write.Commit();
        return new Outcome<RecommendationDto>.Stored(recommendation!);
    }

    /// <summary>The follow-up of a recommendation: its text, owner, due date and status, as the meeting's minutes are followed.</summary>
    public static async Task<Outcome<RecommendationDto>> UpdateAsync(
        DbConnection db, int id, RecommendationUpdate request, IfMatch ifMatch, DateOnly today)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<RecommendationState>(
            """
            SELECT r.version AS Version, r.status AS Status, m.start_date AS MeetingStart
            FROM recommendations r JOIN meetings m ON m.id = r.meeting_id WHERE r.id = @id
            """,
            new { id }, transaction);
        if (current is null)
        {
            return new Outcome<RecommendationDto>.NotFound("Recommendation", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return new Outcome<RecommendationDto>.PreconditionFailed();
        }

        var status = request.Status!.Value;
        if (!MayMove(current.Status, status))
        {
            return new Outcome<RecommendationDto>.Conflict(
                $"The recommendation is {current.Status.ToWire()}, which is final; it cannot become {status.ToWire()}.");
        }

        if (request.DueDate is { } due && due < current.MeetingStart)
        {
            return Outcome<RecommendationDto>.Field("dueDate", DueTooEarly(current.MeetingStart));
        }

        await db.ExecuteAsync(
            db.Sql("""
            UPDATE recommendations SET text = @Text, owner = @Owner, due_date = @DueDate, status = @status,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE id = @id
            """),
            new { id, request.Text, request.Owner, request.DueDate, status = status.ToWire() }, transaction);
        var updated = await ReadAsync(db, id, today, transaction);
        write.Commit();
        return new Outcome<RecommendationDto>.Stored(updated!);
    }

    /// <summary>open ⇄ inProgress, either → implemented | dropped; implemented and dropped are final.</summary>
    public static bool MayMove(RecommendationStatus from, RecommendationStatus to) =>
        from == to || from is RecommendationStatus.Open or RecommendationStatus.InProgress;

    public static Task<RecommendationDto?> ReadAsync(DbConnection db, long id, DateOnly today, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<RecommendationDto>(SelectRecommendation + " WHERE r.id = @id", new { id, today }, transaction);

    /// <summary>A meeting's recommendations, by id, with the overdue flag as of today.</summary>
    public static async Task<IReadOnlyList<RecommendationDto>> OfMeetingAsync(DbConnection db, int meetingId, DateOnly today) =>
        (await db.QueryAsync<RecommendationDto>(SelectRecommendation + " WHERE r.meeting_id = @meetingId ORDER BY r.id", new { meetingId, today })).ToList();

    private static string DueTooEarly(DateOnly start) =>
        $"dueDate may not be before the meeting that made the recommendation ({start:yyyy-MM-dd}).";

    private sealed record RecommendationState
    {
        public long Version { get; init; }

        public RecommendationStatus Status { get; init; }

        public DateOnly MeetingStart { get; init; }
    }
}
