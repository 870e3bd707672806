using JointEfforts.Api.Infrastructure;
using System.Data.Common;
using Dapper;

namespace JointEfforts.Api.Programmes;

/// <summary>
/// A milestone that names a course or a meeting stands for it and follows it: completed on the course's end date
/// once the course is delivered (or evaluated), on the meeting's end date once the meeting has ended with
/// conclusions recorded. When that stops being true (the course's dates change, the conclusions are cleared)
/// the milestone follows again: a new date, or open. Callers run <see cref="SyncAsync"/> in the transaction of
/// the change, so a milestone never disagrees with what it stands for.
/// </summary>
internal static class MilestoneLinks
{
    private static readonly DialectSql Sync = new(d => """
        WITH due AS (
            SELECT ms.id,
                   CASE
                       WHEN ms.course_id IS NOT NULL THEN
                           CASE WHEN c.status IN ('delivered', 'evaluated') THEN c.end_date END
                       ELSE
                           CASE WHEN TRIM(COALESCE(mt.conclusions, '')) <> '' AND mt.end_date <= @today THEN mt.end_date END
                   END AS completed_on
            FROM milestones ms
            LEFT JOIN courses c ON c.id = ms.course_id
            LEFT JOIN meetings mt ON mt.id = ms.meeting_id
            WHERE (ms.course_id = @courseId OR ms.meeting_id = @meetingId OR ms.id = @milestoneId
                   OR ms.phase_id IN (SELECT id FROM phases WHERE project_id = @projectId))
              AND (ms.course_id IS NOT NULL OR ms.meeting_id IS NOT NULL))
        UPDATE milestones SET completed_on = due.completed_on, version = version + 1
        FROM due
        WHERE due.id = milestones.id AND milestones.completed_on IS NOT due.completed_on
        """.Replace("IS NOT due.", d.IsPostgres ? "IS DISTINCT FROM due." : "IS NOT due.", StringComparison.Ordinal));

    public static Task SyncCourseAsync(DbConnection db, DbTransaction transaction, long courseId, DateOnly today) =>
        SyncAsync(db, transaction, courseId, null, null, today);

    public static Task SyncMeetingAsync(DbConnection db, DbTransaction transaction, long meetingId, DateOnly today) =>
        SyncAsync(db, transaction, null, meetingId, null, today);

    public static Task SyncMilestoneAsync(DbConnection db, DbTransaction transaction, long milestoneId, DateOnly today) =>
        SyncAsync(db, transaction, null, null, milestoneId, today);

    /// <summary>Every linked milestone of a programme at once (the demo seed, after writing its courses and meetings).</summary>
    public static void SyncProgramme(DbConnection db, DbTransaction transaction, long projectId, DateOnly today) =>
        db.Execute(db.Sql(Sync), new { courseId = (long?)null, meetingId = (long?)null, milestoneId = (long?)null, projectId, today }, transaction);

    private static Task SyncAsync(DbConnection db, DbTransaction transaction, long? courseId, long? meetingId, long? milestoneId, DateOnly today) =>
        db.ExecuteAsync(db.Sql(Sync), new { courseId, meetingId, milestoneId, projectId = (long?)null, today }, transaction);
}
