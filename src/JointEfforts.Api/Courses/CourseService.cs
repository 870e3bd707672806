using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Courses;

/// <summary>
/// The rules of creating, changing and moving a course, for <c>/api/projects/{id}/courses</c>, <c>/api/courses/{id}</c> and
/// <c>/api/courses/{id}/status</c> and for the workspace's course pages alike: each turns the <see cref="Outcome{T}"/> into
/// its own answer (a problem, or the message beside the field). Each write is one write-queue transaction. The request's
/// DataAnnotations are checked before (by the route's filter, or <c>PageValidation</c> on a page).
/// </summary>
public static class CourseService
{
    public static async Task<Outcome<CourseDto>> CreateAsync(DbConnection db, int projectId, CourseRequest request)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        if (!await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE id = @projectId)", new { projectId }, transaction))
        {
            return new Outcome<CourseDto>.NotFound("Programme", projectId);
        }

        if (await CourseReferences.CheckAsync(db, transaction, projectId, null, request) is { Count: > 0 } errors)
        {
            return new Outcome<CourseDto>.Invalid(errors);
        }

        var parameters = Parameters(request);
        parameters.Add("projectId", projectId);
        var courseId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants,
                                 max_participants, country_expert_user_id, evaluation_form_id, pre_test_form_id, post_test_form_id,
                                 completion_threshold)
            VALUES (@projectId, @Title, @CountryCode, @City, @Venue, @Language, @StartDate, @EndDate, @Min, @Max, @CountryExpertUserId,
                    @EvaluationFormId, @PreTestFormId, @PostTestFormId, @Threshold)
            RETURNING id
            """,
            parameters, transaction);
        var course = await CoursesApi.ReadAsync(db, courseId, null, transaction);
        write.Commit();
        return new Outcome<CourseDto>.Stored(course!);
    }

    public static async Task<Outcome<CourseDto>> UpdateAsync(DbConnection db, int id, CourseRequest request, IfMatch ifMatch, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<CoursesApi.CourseState>(CoursesApi.StateOf, new { id }, transaction);
        if (current is null)
        {
            return new Outcome<CourseDto>.NotFound("Course", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return new Outcome<CourseDto>.PreconditionFailed();
        }

        if (await CourseReferences.CheckAsync(db, transaction, current.ProjectId, id, request) is { Count: > 0 } errors)
        {
            return new Outcome<CourseDto>.Invalid(errors);
        }

        if (current.Status is CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return new Outcome<CourseDto>.Conflict($"The course is {current.Status.ToWire()}: it can no longer be changed.");
        }

        if (request.Max < current.Enrolled)
        {
            return new Outcome<CourseDto>.Conflict(
                $"{current.Enrolled} participants are enrolled: maxParticipants cannot be lowered to {request.Max}. Withdraw enrolments first.");
        }

        var parameters = Parameters(request);
        parameters.Add("id", id);
        await db.ExecuteAsync(
            """
            UPDATE courses SET title = @Title, country_code = @CountryCode, city = @City, venue = @Venue, language = @Language,
                start_date = @StartDate, end_date = @EndDate, min_participants = @Min, max_participants = @Max,
                country_expert_user_id = @CountryExpertUserId, evaluation_form_id = @EvaluationFormId, pre_test_form_id = @PreTestFormId,
                post_test_form_id = @PostTestFormId, completion_threshold = @Threshold, version = version + 1
            WHERE id = @id
            """,
            parameters, transaction);
        await Enrolments.PromoteAsync(db, transaction, id);
        await MilestoneLinks.SyncCourseAsync(db, transaction, id, PhasesApi.Today(time));
        var course = await CoursesApi.ReadAsync(db, id, null, transaction);
        write.Commit();
        return new Outcome<CourseDto>.Stored(course!);
    }

    /// <summary>A move of the workflow (<see cref="CoursesApi.Moves"/>); a refused one is a conflict that says why and what is possible.</summary>
    public static async Task<Outcome<CourseDto>> MoveAsync(DbConnection db, int id, CourseStatus target, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<CoursesApi.CourseState>(CoursesApi.StateOf, new { id }, transaction);
        if (current is null)
        {
            return new Outcome<CourseDto>.NotFound("Course", id);
        }

        if (!CoursesApi.Moves[current.Status].Contains(target))
        {
            var allowed = CoursesApi.Moves[current.Status].Select(s => s.ToWire()).ToList();
            return new Outcome<CourseDto>.Conflict(
                $"{Wording.A(current.Status.ToWire())} course cannot move to {target.ToWire()}; " +
                (allowed.Count == 0 ? "it is final." : $"it can move to {string.Join(" or ", allowed)}."));
        }

        if (target == CourseStatus.Delivered && current.Enrolled < current.MinParticipants)
        {
            return new Outcome<CourseDto>.Conflict(
                $"Only {Wording.Count(current.Enrolled, "participant")} {Wording.Is(current.Enrolled)} enrolled; a course is delivered with at least {current.MinParticipants}.");
        }

        if (target == CourseStatus.Evaluated
            && !await db.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM evaluation_reports WHERE course_id = @id AND state = 'accepted')", new { id }, transaction))
        {
            return new Outcome<CourseDto>.Conflict(
                "A course is evaluated when the steering group accepts its country expert's evaluation report; this course has no accepted report.");
        }

        await db.ExecuteAsync(
            "UPDATE courses SET status = @status, version = version + 1 WHERE id = @id",
            new { id, status = target.ToWire() }, transaction);
        if (target == CourseStatus.Delivered)
        {
            await CloseWaitlistAsync(db, transaction, id);
        }

        await MilestoneLinks.SyncCourseAsync(db, transaction, id, PhasesApi.Today(time));
        var course = await CoursesApi.ReadAsync(db, id, null, transaction);
        write.Commit();
        return new Outcome<CourseDto>.Stored(course!);
    }

    /// <summary>
    /// Delivering a course closes its waitlist: whoever is still waiting was not admitted (status notAdmitted), in the
    /// transaction of the delivery, so no one stays "waitlisted" for a course that has taken place.
    /// </summary>
    private static Task CloseWaitlistAsync(DbConnection db, DbTransaction transaction, int id) =>
        db.ExecuteAsync(
            "UPDATE enrolments SET status = 'notAdmitted', version = version + 1 WHERE course_id = @id AND status = 'waitlisted'",
            new { id }, transaction);

    private static DynamicParameters Parameters(CourseRequest request)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Title", request.Title);
        parameters.Add("CountryCode", request.CountryCode);
        parameters.Add("City", request.City);
        parameters.Add("Venue", request.Venue);
        parameters.Add("Language", request.Language);
        parameters.Add("StartDate", request.StartDate);
        parameters.Add("EndDate", request.EndDate);
        parameters.Add("Min", request.Min);
        parameters.Add("Max", request.Max);
        parameters.Add("CountryExpertUserId", request.CountryExpertUserId);
        parameters.Add("EvaluationFormId", request.EvaluationFormId);
        parameters.Add("PreTestFormId", request.PreTestFormId);
        parameters.Add("PostTestFormId", request.PostTestFormId);
        parameters.Add("Threshold", request.Threshold);
        return parameters;
    }
}
