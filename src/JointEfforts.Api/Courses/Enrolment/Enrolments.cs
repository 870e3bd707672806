using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

/// <summary>
/// The capacity rule, in one place for single enrolments and imports: never more than maxParticipants
/// enrolled; beyond that, waitlisted in arrival (id) order. Callers hold a BEGIN IMMEDIATE transaction,
/// so the count and the insert cannot interleave with another writer.
/// </summary>
public static class Enrolments
{
    internal const string SelectEnrolment = """
        SELECT e.id AS Id, e.course_id AS CourseId, e.participant_id AS ParticipantId, p.full_name AS FullName,
               e.status AS Status,
               CASE WHEN e.status = 'waitlisted'
                    THEN (SELECT COUNT(*) FROM enrolments w WHERE w.course_id = e.course_id AND w.status = 'waitlisted' AND w.id <= e.id)
               END AS WaitlistPosition,
               e.created_at AS CreatedAt, e.withdrawn_at AS WithdrawnAt, e.version AS Version
        FROM enrolments e JOIN participants p ON p.id = e.participant_id
        """;

    public enum Outcome
    {
        Enrolled,
        Waitlisted,
        AlreadyEnrolled,
    }

    /// <summary>Enrols or waitlists the participant; <see cref="Outcome.AlreadyEnrolled"/> when a live enrolment exists.</summary>
    public static async Task<(Outcome Outcome, long EnrolmentId)> EnrolAsync(
        DbConnection db, DbTransaction transaction, long courseId, long participantId, int maxParticipants)
    {
        // The hot write path (a classroom enrolled at once, imports): its statements stay prepared on the connection,
        // the insert with the programs of the triggers it fires (audit, report aggregates), which cost most to compile.
        var existing = await db.QueryPreparedFirstOrDefaultAsync<long?>(
            "SELECT id FROM enrolments WHERE course_id = @courseId AND participant_id = @participantId AND status <> 'withdrawn'",
            transaction, ("@courseId", courseId), ("@participantId", participantId));
        if (existing is { } existingId)
        {
            return (Outcome.AlreadyEnrolled, existingId);
        }

        var status = await db.QueryPreparedFirstOrDefaultAsync<string>(
            """
            INSERT INTO enrolments (course_id, participant_id, status)
            SELECT @courseId, @participantId,
                   CASE WHEN (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled') < @maxParticipants
                        THEN 'enrolled' ELSE 'waitlisted' END
            RETURNING status || ':' || id
            """,
            transaction, ("@courseId", courseId), ("@participantId", participantId), ("@maxParticipants", maxParticipants));
        var parts = status!.Split(':');
        var id = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        await Mail.CourseMail.EnrolledAsync(db, transaction, id); // the invitation, in this transaction (nothing when e-mail is off)
        return (parts[0] == "enrolled" ? Outcome.Enrolled : Outcome.Waitlisted, id);
    }

    /// <summary>Moves the first waitlisted into every free seat, in arrival order; returns how many were promoted.</summary>
    public static async Task<int> PromoteAsync(DbConnection db, DbTransaction transaction, long courseId)
    {
        var promoted = (await db.QueryAsync<long>(
            db.Sql("""
            UPDATE enrolments SET status = 'enrolled', version = version + 1
            WHERE id IN (
                SELECT id FROM enrolments WHERE course_id = @courseId AND status = 'waitlisted' ORDER BY id
                LIMIT MAX(0, (SELECT max_participants FROM courses WHERE id = @courseId)
                           - (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled')))
            RETURNING id
            """),
            new { courseId }, transaction)).AsList();
        await Mail.CourseMail.PromotedAsync(db, transaction, promoted); // each promoted person is told, in this transaction
        return promoted.Count;
    }

    internal static string Wire(this Outcome outcome) => outcome == Outcome.Waitlisted
        ? EnrolmentStatus.Waitlisted.ToWire()
        : EnrolmentStatus.Enrolled.ToWire();
}
