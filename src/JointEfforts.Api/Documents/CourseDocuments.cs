using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using Microsoft.AspNetCore.Hosting.Server;

namespace JointEfforts.Api.Documents;

/// <summary>What asking for a document came to: the PDF, or why not. The /api route answers a problem, the workspace a page.</summary>
public abstract record DocumentOutcome
{
    private DocumentOutcome()
    {
    }

    public sealed record Pdf(byte[] Bytes, string FileName) : DocumentOutcome;

    /// <summary>No such thing (or not the caller's to see); <paramref name="Detail"/> when the usual "no X with id N" would mislead.</summary>
    public sealed record NotFound(string What, int Id, string? Detail = null) : DocumentOutcome;

    public sealed record Forbidden(string Detail) : DocumentOutcome;

    public sealed record Conflict(string Detail) : DocumentOutcome;
}

/// <summary>
/// A course's printable documents, made once for both doors: <c>/api/courses/{id}/…pdf</c> (bearer token) and the workspace's
/// <c>/workspace/courses/{id}/documents/…</c> (page session). The course is read scoped to the caller's country (another
/// country's course is not found); who may print is <see cref="DocumentCourse.MayPrint"/>.
/// </summary>
public static class CourseDocuments
{
    public static async Task<DocumentOutcome> SignInSheetAsync(DbConnection db, Caller caller, int id, int sessionId, HttpContext context)
    {
        var course = await ReadCourseAsync(db, id, caller);
        if (course is null)
        {
            return new DocumentOutcome.NotFound("Course", id);
        }

        if (!course.MayPrint(caller))
        {
            return new DocumentOutcome.Forbidden("Only a coordinator or the course's country expert prints its sign-in sheets.");
        }

        var (session, rows) = await SignInSheet.ReadAsync(db, id, sessionId);
        var texts = context.Texts();
        return session is null
            ? new DocumentOutcome.NotFound("Session", sessionId)
            : new DocumentOutcome.Pdf(
                SignInSheet.Render(course, session, rows, texts.SignIn(course.Language), texts.SignIn("en"), sector => texts.Sector(course.Language, sector)),
                SignInSheet.FileName(course, session));
    }

    public static async Task<DocumentOutcome> CodeSlipsAsync(DbConnection db, Caller caller, int id, int batchId, HttpContext context)
    {
        var course = await ReadCourseAsync(db, id, caller);
        if (course is null)
        {
            return new DocumentOutcome.NotFound("Course", id);
        }

        if (!course.MayPrint(caller))
        {
            return new DocumentOutcome.Forbidden("Only a coordinator or the course's country expert prints its evaluation codes.");
        }

        var (batch, codes) = await CodeSlips.ReadAsync(db, id, batchId);
        if (batch is null || codes.Count == 0)
        {
            return new DocumentOutcome.NotFound("Evaluation code batch", batchId);
        }

        var services = context.RequestServices;
        var baseUrl = CodeSlips.PublicBaseUrl(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IServer>());
        return new DocumentOutcome.Pdf(CodeSlips.Render(course, codes, baseUrl, context.Texts().Documents(course.Language)), CodeSlips.FileName(course, batch));
    }

    /// <summary>Certificates of everyone who completed the course (the caller's role is the route's: admin, coordinator).</summary>
    public static async Task<DocumentOutcome> CertificatesAsync(DbConnection db, Caller caller, int id, HttpContext context)
    {
        var course = await ReadCourseAsync(db, id, caller);
        if (course is null)
        {
            return new DocumentOutcome.NotFound("Course", id);
        }

        var texts = context.Texts();
        var holders = (await Certificates.ReadAsync(db, id)).Where(h => h.Deserves).ToList();
        return holders.Count == 0
            ? new DocumentOutcome.Conflict($"No participant has completed course {id} yet: a certificate needs attendance at the course's completion threshold.")
            : new DocumentOutcome.Pdf(Certificates.Render(course, holders, texts.Documents(course.Language), texts.Documents("en")), Certificates.FileName(course));
    }

    /// <summary>
    /// One participant's certificate (the route's roles: admin, coordinator): 404 when they are not enrolled in the course
    /// (waitlisted and withdrawn are not), 409 when their name was erased or they did not complete it.
    /// </summary>
    public static async Task<DocumentOutcome> CertificateAsync(DbConnection db, Caller caller, int id, int participantId, HttpContext context)
    {
        var course = await ReadCourseAsync(db, id, caller);
        if (course is null)
        {
            return new DocumentOutcome.NotFound("Course", id);
        }

        var holder = (await Certificates.ReadAsync(db, id, participantId)).SingleOrDefault();
        if (holder is null)
        {
            return new DocumentOutcome.NotFound("Participant", participantId, $"Participant {participantId} is not enrolled in course {id}.");
        }

        if (holder.FullName is null)
        {
            return new DocumentOutcome.Conflict($"Participant {participantId}'s name was erased: there is no one to name on a certificate.");
        }

        var texts = context.Texts();
        return holder.Completed
            ? new DocumentOutcome.Pdf(
                Certificates.Render(course, [holder], texts.Documents(course.Language), texts.Documents("en")), Certificates.FileName(course, holder))
            : new DocumentOutcome.Conflict(
                $"Participant {participantId} attended {holder.SessionsAttended} of {holder.Sessions} sessions and has not completed course {id}: no certificate.");
    }

    public static Task<DocumentCourse?> ReadCourseAsync(DbConnection db, int id, Caller caller) =>
        db.QuerySingleOrDefaultAsync<DocumentCourse>(db.Sql(DocumentCourse.Select), new { id, country = caller.CountryScope });
}
