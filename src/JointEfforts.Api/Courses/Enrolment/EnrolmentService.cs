using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

/// <summary>
/// The rules of enrolling, withdrawing and promoting, for <c>/api/courses/{id}/enrolments</c> and the workspace's
/// participants page alike: one implementation, each write one write-queue transaction (BEGIN IMMEDIATE), the seats counted
/// by <see cref="Enrolments"/> inside it, so no course ever has more than its maximum enrolled.
/// </summary>
public static class EnrolmentService
{
    internal const string SelectEnrolmentById = Enrolments.SelectEnrolment + " WHERE e.id = @enrolmentId";

    /// <summary>A withdrawal, and how many moved up from the waiting list into the freed seat.</summary>
    public sealed record Withdrawal(EnrolmentDto Enrolment, int Promoted);

    /// <summary>Enrols the participant in an open course, or waitlists them when it is full.</summary>
    public static async Task<Outcome<EnrolmentDto>> EnrolAsync(DbConnection db, int courseId, int participantId)
    {
        using var write = await db.BeginWriteAsync();
        var outcome = await EnrolAsync(db, write.Transaction, courseId, participantId);
        if (outcome is Outcome<EnrolmentDto>.Stored)
        {
            write.Commit();
        }

        return outcome;
    }

    /// <summary><see cref="EnrolAsync(DbConnection, int, int)"/> inside the caller's write transaction (which commits).</summary>
    internal static async Task<Outcome<EnrolmentDto>> EnrolAsync(DbConnection db, DbTransaction transaction, int courseId, long participantId)
    {
        var course = await db.QueryPreparedFirstOrDefaultAsync<CoursesApi.CourseState>(CoursesApi.StateOf, transaction, ("@id", courseId));
        if (course is null)
        {
            return new Outcome<EnrolmentDto>.NotFound("Course", courseId);
        }

        var participant = await db.QueryPreparedFirstOrDefaultAsync<bool?>(
            "SELECT erased_at IS NOT NULL FROM participants WHERE id = @participantId", transaction, ("@participantId", participantId));
        if (participant is null or true)
        {
            return Outcome<EnrolmentDto>.Field("participantId", participant is null
                ? $"Participant {participantId} does not exist."
                : $"Participant {participantId} was erased and can no longer be enrolled.");
        }

        if (course.Status != CourseStatus.Open)
        {
            return new Outcome<EnrolmentDto>.Conflict($"The course is {course.Status.ToWire()}: only an open course takes enrolments.");
        }

        var (outcome, enrolmentId) = await Enrolments.EnrolAsync(db, transaction, courseId, participantId, course.MaxParticipants);
        if (outcome == Enrolments.Outcome.AlreadyEnrolled)
        {
            return new Outcome<EnrolmentDto>.Conflict(
                $"Participant {participantId} is already enrolled or waitlisted in this course (enrolment {enrolmentId}).");
        }

        var enrolment = await db.QueryPreparedFirstOrDefaultAsync<EnrolmentDto>(SelectEnrolmentById, transaction, ("@enrolmentId", enrolmentId));
        return new Outcome<EnrolmentDto>.Stored(enrolment!);
    }

    /// <summary>
    /// Registers a new participant (<see cref="Participants.ParticipantsApi.CreateAsync(DbConnection, DbTransaction, Participants.ParticipantRequest)"/>)
    /// and enrols them in one transaction: both or neither. A taken e-mail is said beside the e-mail.
    /// </summary>
    public static async Task<Outcome<EnrolmentDto>> RegisterAndEnrolAsync(DbConnection db, int courseId, Participants.ParticipantRequest request)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await db.QueryPreparedFirstOrDefaultAsync<CoursesApi.CourseState>(CoursesApi.StateOf, transaction, ("@id", courseId));
        if (course is null)
        {
            return new Outcome<EnrolmentDto>.NotFound("Course", courseId);
        }

        if (course.Status != CourseStatus.Open)
        {
            return new Outcome<EnrolmentDto>.Conflict($"The course is {course.Status.ToWire()}: only an open course takes enrolments.");
        }

        switch (await Participants.ParticipantsApi.CreateAsync(db, transaction, request))
        {
            case Outcome<Participants.ParticipantDto>.Stored created:
                var enrolled = await EnrolAsync(db, transaction, courseId, created.Value.Id);
                if (enrolled is Outcome<EnrolmentDto>.Stored)
                {
                    write.Commit();
                }

                return enrolled;
            case Outcome<Participants.ParticipantDto>.Conflict taken:
                return Outcome<EnrolmentDto>.Field("email", taken.Detail);
            default:
                throw new InvalidOperationException("Registering a participant ends stored or in a conflict.");
        }
    }

    /// <summary>Withdraws an enrolment (kept as withdrawn); a freed seat goes to the first waitlisted in the same transaction.</summary>
    public static async Task<Outcome<Withdrawal>> WithdrawAsync(DbConnection db, int courseId, int enrolmentId, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var enrolment = await db.QuerySingleOrDefaultAsync<WithdrawState>(
            """
            SELECT e.status AS Status, e.version AS Version, c.status AS CourseStatus
            FROM enrolments e JOIN courses c ON c.id = e.course_id
            WHERE e.id = @enrolmentId AND e.course_id = @courseId
            """,
            new { courseId, enrolmentId }, transaction);
        if (enrolment is null)
        {
            return new Outcome<Withdrawal>.NotFound("Enrolment", enrolmentId);
        }

        if (!ifMatch.Matches(enrolment.Version))
        {
            return new Outcome<Withdrawal>.PreconditionFailed();
        }

        if (enrolment.Status == EnrolmentStatus.Withdrawn)
        {
            return new Outcome<Withdrawal>.Conflict($"Enrolment {enrolmentId} is already withdrawn.");
        }

        if (enrolment.CourseStatus is CourseStatus.Delivered or CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return new Outcome<Withdrawal>.Conflict($"The course is {enrolment.CourseStatus.ToWire()}: its enrolments are history now.");
        }

        await db.ExecuteAsync(
            db.Sql("UPDATE enrolments SET status = 'withdrawn', withdrawn_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1 WHERE id = @enrolmentId"),
            new { enrolmentId }, transaction);
        var promoted = await Enrolments.PromoteAsync(db, transaction, courseId);
        var withdrawn = await db.QuerySingleAsync<EnrolmentDto>(SelectEnrolmentById, new { enrolmentId }, transaction);
        write.Commit();
        return new Outcome<Withdrawal>.Stored(new Withdrawal(withdrawn, promoted));
    }

    /// <summary>
    /// Moves the first on the waiting list into every free seat, in arrival order (what a withdrawal does by itself): for a
    /// waiting list left behind by seats freed otherwise. A full course, or nobody waiting, is a conflict that changes nothing.
    /// </summary>
    public static async Task<Outcome<int>> PromoteAsync(DbConnection db, int courseId)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await db.QuerySingleOrDefaultAsync<PromoteState>(
            """
            SELECT c.status AS Status, c.max_participants AS MaxParticipants,
                   (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS Enrolled,
                   (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'waitlisted') AS Waitlisted
            FROM courses c WHERE c.id = @courseId
            """,
            new { courseId }, transaction);
        if (course is null)
        {
            return new Outcome<int>.NotFound("Course", courseId);
        }

        if (course.Status is CourseStatus.Delivered or CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return new Outcome<int>.Conflict($"The course is {course.Status.ToWire()}: its enrolments are history now.");
        }

        if (course.Waitlisted == 0)
        {
            return new Outcome<int>.Conflict("Nobody is on the waiting list.");
        }

        if (course.Enrolled >= course.MaxParticipants)
        {
            return new Outcome<int>.Conflict(
                $"The course is full: {course.Enrolled} of {course.MaxParticipants} enrolled. The first on the waiting list moves up when someone withdraws or the maximum is raised.");
        }

        var promoted = await Enrolments.PromoteAsync(db, transaction, courseId);
        write.Commit();
        return new Outcome<int>.Stored(promoted);
    }

    private sealed record WithdrawState
    {
        public EnrolmentStatus Status { get; init; }

        public long Version { get; init; }

        public CourseStatus CourseStatus { get; init; }
    }

    private sealed record PromoteState
    {
        public CourseStatus Status { get; init; }

        public int MaxParticipants { get; init; }

        public int Enrolled { get; init; }

        public int Waitlisted { get; init; }
    }
}
