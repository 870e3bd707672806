using System.Data.Common;
using System.Globalization;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Mail;

/// <summary>
/// The evaluation report's workflow told by e-mail: submitted → every steering-group member (in English, the group's
/// working language), returned → the course's country expert (or, when the course names none, every expert of its
/// country), in the course language, with the steering group's comment. Staff without an address get nothing.
/// </summary>
public static class ReportMail
{
    /// <summary>Where the steering group accepts or returns reports.</summary>
    public const string SteeringPath = "/dashboard";

    /// <summary>Where an expert lands after sign-in, with their work listed (issue 24's workspace).</summary>
    public const string ExpertPath = Pages.Workspace.WorkspacePaths.Home;

    /// <summary>After a report moved (submit, accept, return) in <paramref name="transaction"/>: the message its new state calls for.</summary>
    public static async Task MovedAsync(DbConnection db, DbTransaction transaction, long courseId)
    {
        if (Outbox.Options(db) is not { } options || !Outbox.StaffHaveEmail(db, transaction))
        {
            return;
        }

        var report = await db.QuerySingleOrDefaultAsync<ReportRow>(
            """
            SELECT r.state AS State, r.return_comment AS ReturnComment, c.id AS CourseId, c.title AS Title, c.city AS City,
                   c.language AS Language, c.start_date AS StartDate, c.end_date AS EndDate,
                   c.country_code AS CountryCode, c.country_expert_user_id AS ExpertUserId
            FROM evaluation_reports r JOIN courses c ON c.id = r.course_id
            WHERE r.course_id = @courseId
            """,
            new { courseId }, transaction);
        if (report is null || report.State == "accepted")
        {
            return;
        }

        var submitted = report.State == "submitted";
        // Returned: back to draft with a comment. A draft without one was never returned.
        if (!submitted && report.ReturnComment is null)
        {
            return;
        }

        var staff = await db.QueryAsync<StaffRow>(
            submitted
                ? "SELECT id AS UserId, display_name AS Name, email AS Email FROM users WHERE role = 'steeringGroup' AND deleted_at IS NULL AND email IS NOT NULL ORDER BY id"
                : """
                  SELECT id AS UserId, display_name AS Name, email AS Email FROM users
                  WHERE role = 'countryExpert' AND deleted_at IS NULL AND email IS NOT NULL
                    AND (id = @expert OR (@expert IS NULL AND country_code = @country))
                  ORDER BY id
                  """,
            new { expert = report.ExpertUserId, country = report.CountryCode }, transaction);
        var kind = submitted ? MailKind.ReportSubmitted : MailKind.ReportReturned;
        var texts = await MailTexts.ReadAsync(db, transaction);
        var language = submitted ? MailTexts.Fallback : MailTexts.LanguageFor(texts, report.Language);
        var key = "mail." + kind.ToWire();
        foreach (var person in staff)
        {
            var values = new Dictionary<string, string?>
            {
                ["name"] = person.Name,
                ["course"] = report.Title,
                ["city"] = report.City,
                ["startDate"] = report.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["endDate"] = report.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["comment"] = report.ReturnComment,
                ["link"] = options.PublicBaseUrl + (submitted ? SteeringPath : ExpertPath),
            };
            await Outbox.EnqueueAsync(db, transaction, new OutboxMessage(
                kind, person.Email, language, MailTexts.Fill(texts, key + ".subject", language, values), MailTexts.Fill(texts, key + ".body", language, values),
                UserId: person.UserId, CourseId: report.CourseId));
        }
    }

    private sealed record ReportRow
    {
        public string State { get; init; } = "";

        public string? ReturnComment { get; init; }

        public long CourseId { get; init; }

        public string Title { get; init; } = "";

        public string City { get; init; } = "";

        public string Language { get; init; } = "en";

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public string CountryCode { get; init; } = "";

        public long? ExpertUserId { get; init; }
    }

    private sealed record StaffRow
    {
        public long UserId { get; init; }

        public string Name { get; init; } = "";

        public string Email { get; init; } = "";
    }
}
