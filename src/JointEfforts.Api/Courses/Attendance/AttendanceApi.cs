using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Courses;

/// <summary>The attendance registers of a course's sessions, and what they add up to: completion.</summary>
public static class AttendanceApi
{
    private static readonly DialectSql EnrolledAmong = new(d =>
        $"SELECT participant_id FROM enrolments WHERE course_id = @id AND status = 'enrolled' AND participant_id IN ({d.JsonIntegers("@ids")})");

    /// <summary>
    /// Completion per enrolled participant, from the view enrolment_completion (sql/0007, the one definition the
    /// reports share): attended = sessions marked present or late; rate = attended / sessions of the course;
    /// completed = rate ≥ the course's completionThreshold (no sessions, or a cancelled course: not completed).
    /// A participant who completed a course counts as trained. Append <c>AND ec....</c> filters.
    /// </summary>
    public const string CompletionSelect = """
        SELECT ec.course_id AS CourseId, ec.participant_id AS ParticipantId, p.full_name AS FullName,
               ec.sessions AS Sessions, ec.attended AS Attended, ec.rate AS Rate, ec.completed AS Completed
        FROM enrolment_completion ec
        JOIN participants p ON p.id = ec.participant_id
        WHERE 1 = 1
        """;

    public static IEndpointRouteBuilder MapAttendance(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        courses.MapPut("/{id:int}/sessions/{sessionId:int}/attendance", RecordAttendance).WithName("RecordAttendance")
            .WithSummary("Replace a session's attendance register (coordinator, or a country expert of the course's country). Honours If-Match with the session's ETag.")
            .WithDescription("""
                The body is the whole register: [{ participantId, status: present|late|excused|absent }]; participants left out have no
                line. Every participant must be enrolled (status enrolled) in the course, once: otherwise a 400 naming the entry.
                Only for open, closed or delivered courses (409 otherwise).
                """)
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        courses.MapGet("/{id:int}/attendance", GetAttendance).WithName("GetAttendance")
            .WithSummary("The attendance matrix: sessions × enrolled participants, each with attended sessions, rate and completed (rate of present + late ≥ completionThreshold). Completed means trained.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<AttendanceRegister>, ValidationProblem, ProblemHttpResult>> RecordAttendance(
        int id, int sessionId, List<AttendanceEntry?> register, IfMatch ifMatch, Caller caller, DbConnection db)
    {
        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<int>();
        for (var i = 0; i < register.Count; i++)
        {
            if (register[i] is not { } entry)
            {
                errors[$"[{i}]"] = ["Each line is { participantId, status: present|late|excused|absent }."];
                continue;
            }

            if (entry.Status is null)
            {
                errors[$"[{i}].status"] = ["status is required: present, late, excused or absent."];
            }

            if (entry.ParticipantId is not { } participantId)
            {
                errors[$"[{i}].participantId"] = ["participantId is required."];
            }
            else if (!seen.Add(participantId))
            {
                errors[$"[{i}].participantId"] = [$"Participant {participantId} appears twice in the register."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var entries = register.Select(e => new AttendanceRecord { ParticipantId = e!.ParticipantId!.Value, Status = e.Status!.Value }).ToList();
        return await RecordAsync(db, caller, id, sessionId, entries, ifMatch) switch
        {
            Outcome<AttendanceRegister>.Stored stored => TypedResults.Ok(stored.Value),
            Outcome<AttendanceRegister>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };
    }

    /// <summary>
    /// Replaces a session's register (the JSON route and the workspace's attendance page): every participant enrolled in the
    /// course, the session of the course and in the caller's country, the course open, closed or delivered. One write.
    /// </summary>
    public static async Task<Outcome<AttendanceRegister>> RecordAsync(
        DbConnection db, Caller caller, int id, int sessionId, IReadOnlyList<AttendanceRecord> entries, IfMatch ifMatch)
    {
        var errors = new Dictionary<string, string[]>();
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var session = await db.QuerySingleOrDefaultAsync<SessionState>(
            """
            SELECT s.version AS Version, c.status AS CourseStatus
            FROM course_sessions s JOIN courses c ON c.id = s.course_id
            WHERE s.id = @sessionId AND s.course_id = @id
            """ + CoursesApi.Scope,
            new { id, sessionId, country = caller.CountryScope }, transaction);
        if (session is null)
        {
            return new Outcome<AttendanceRegister>.NotFound("Session", sessionId);
        }

        if (!ifMatch.Matches(session.Version))
        {
            return new Outcome<AttendanceRegister>.PreconditionFailed();
        }

        var ids = entries.Select(e => e.ParticipantId).ToList();
        var enrolled = (await db.QueryAsync<int>(
            db.Sql(EnrolledAmong),
            new { id, ids = System.Text.Json.JsonSerializer.Serialize(ids) }, transaction)).ToHashSet();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!enrolled.Contains(entries[i].ParticipantId))
            {
                errors[$"[{i}].participantId"] = [$"Participant {entries[i].ParticipantId} is not enrolled in course {id}."];
            }
        }

        if (errors.Count > 0)
        {
            return new Outcome<AttendanceRegister>.Invalid(errors);
        }

        if (session.CourseStatus is not (CourseStatus.Open or CourseStatus.Closed or CourseStatus.Delivered))
        {
            return new Outcome<AttendanceRegister>.Conflict(
                $"The course is {session.CourseStatus.ToWire()}: attendance is recorded for open, closed or delivered courses.");
        }

        await db.ExecuteAsync("DELETE FROM attendance WHERE session_id = @sessionId", new { sessionId }, transaction);
        await db.ExecuteAsync(
            "INSERT INTO attendance (session_id, participant_id, status, recorded_by) VALUES (@sessionId, @ParticipantId, @Status, @recordedBy)",
            entries.Select(e => new { sessionId, e.ParticipantId, Status = e.Status.ToWire(), recordedBy = caller.UserId }), transaction);
        var version = await db.ExecuteScalarAsync<long>(
            "UPDATE course_sessions SET version = version + 1 WHERE id = @sessionId RETURNING version", new { sessionId }, transaction);
        write.Commit();
        return new Outcome<AttendanceRegister>.Stored(
            new AttendanceRegister(id, sessionId, entries.OrderBy(e => e.ParticipantId).ToList()) { Version = version });
    }

    private static async Task<Results<Ok<AttendanceMatrix>, ProblemHttpResult>> GetAttendance(int id, Caller caller, DbConnection db)
    {
        using var results = await db.QueryMultipleAsync(
            "SELECT c.completion_threshold FROM courses c WHERE c.id = @id" + CoursesApi.Scope + ";"
            + SessionsApi.SelectSession + " WHERE s.course_id = @id ORDER BY s.date, s.id;"
            + CompletionSelect + " AND ec.course_id = @id ORDER BY ec.enrolment_id;"
            + """
              SELECT a.session_id AS SessionId, a.participant_id AS ParticipantId, a.status AS Status
              FROM attendance a JOIN course_sessions s ON s.id = a.session_id WHERE s.course_id = @id
              """,
            new { id, country = caller.CountryScope });
        var threshold = await results.ReadSingleOrDefaultAsync<double?>();
        if (threshold is null)
        {
            return Problems.NotFound("Course", id);
        }

        var sessions = (await results.ReadAsync<SessionDto>()).ToList();
        var completions = (await results.ReadAsync<Completion>()).ToList();
        var marks = (await results.ReadAsync<Mark>()).ToDictionary(m => (m.SessionId, m.ParticipantId), m => m.Status);
        var participants = completions.Select(p => new ParticipantAttendance(
            p.ParticipantId,
            p.FullName,
            sessions.Select(s => new SessionAttendance(s.Id, marks.TryGetValue((s.Id, p.ParticipantId), out var status) ? status : null)).ToList(),
            p.Attended,
            p.Rate,
            p.Completed)).ToList();
        return TypedResults.Ok(new AttendanceMatrix(id, threshold.Value, sessions, participants, participants.Count, participants.Count(p => p.Completed)));
    }

    private sealed record SessionState
    {
        public long Version { get; init; }

        public CourseStatus CourseStatus { get; init; }
    }

    private sealed record Completion
    {
        public int ParticipantId { get; init; }

        public string? FullName { get; init; }

        public int Attended { get; init; }

        public double Rate { get; init; }

        public bool Completed { get; init; }
    }

    private sealed record Mark
    {
        public int SessionId { get; init; }

        public int ParticipantId { get; init; }

        public AttendanceStatus Status { get; init; }
    }
}
