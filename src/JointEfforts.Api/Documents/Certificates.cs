using System.Data.Common;
using System.Globalization;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Documents;

/// <summary>
/// Certificates of attendance: one A4 page per participant who completed the course, "completed" being the
/// one definition of the view enrolment_completion (sql/0007). Hours attended are the hours of the sessions
/// attended (present or late). A participant whose name was erased gets none: there is no one to name.
/// The hours are CAST to REAL in SQL: a no-show's COALESCE(NULL, 0) is an INTEGER, and Dapper, which builds its
/// reader from the first row's types, failed on the next row of the other type (issue 23).
/// </summary>
public static class Certificates
{
    private const string SelectEnrolled = """
        SELECT ec.participant_id AS ParticipantId, p.full_name AS FullName, ec.completed AS Completed,
               ec.attended AS SessionsAttended, ec.sessions AS Sessions,
               CAST(COALESCE(h.hours, 0) AS REAL) AS HoursAttended,
               CAST((SELECT COALESCE(SUM(s.hours), 0) FROM course_sessions s WHERE s.course_id = ec.course_id) AS REAL) AS HoursTotal
        FROM enrolment_completion ec
        JOIN participants p ON p.id = ec.participant_id
        LEFT JOIN (SELECT a.participant_id, SUM(s.hours) AS hours
                   FROM attendance a JOIN course_sessions s ON s.id = a.session_id
                   WHERE s.course_id = @id AND a.status IN ('present', 'late')
                   GROUP BY a.participant_id) h ON h.participant_id = ec.participant_id
        WHERE ec.course_id = @id AND (@participantId IS NULL OR ec.participant_id = @participantId)
        ORDER BY p.id;
        """;

    public sealed record Holder
    {
        public int ParticipantId { get; init; }

        /// <summary>Null once erased.</summary>
        public string? FullName { get; init; }

        public bool Completed { get; init; }

        public int SessionsAttended { get; init; }

        public int Sessions { get; init; }

        public double HoursAttended { get; init; }

        public double HoursTotal { get; init; }

        public bool Deserves => Completed && FullName is not null;
    }

    /// <summary>The live enrolments of the course (or of one participant in it), with their completion and hours.</summary>
    public static async Task<IReadOnlyList<Holder>> ReadAsync(DbConnection db, int id, int? participantId = null) =>
        DocumentFiles.InNameOrder(await db.QueryAsync<Holder>(db.Sql(SelectEnrolled), new { id, participantId }), h => h.FullName).ToList();

    public static string FileName(DocumentCourse course) => DocumentFiles.Name(course.City, course.StartDate, "certificates");

    public static string FileName(DocumentCourse course, Holder holder) =>
        DocumentFiles.Name(course.City, course.StartDate, "certificate-" + DocumentFiles.Words(holder.FullName ?? ""));

    /// <summary>The pages, in <paramref name="texts"/> (the course language) with the English title beneath when that is another.</summary>
    public static byte[] Render(DocumentCourse course, IReadOnlyList<Holder> holders, DocumentTexts texts, DocumentTexts english)
    {
        var body = new List<Block>();
        foreach (var holder in holders)
        {
            if (body.Count > 0)
            {
                body.Add(new NewPage());
            }

            body.Add(new Space(50));
            body.Add(new Text(texts.CertificateTitle, Size: 26, Bold: true, Centered: true));
            if (texts.CertificateTitle != english.CertificateTitle)
            {
                body.Add(new Text(english.CertificateTitle, Size: 11, Centered: true, Muted: true));
            }

            body.Add(new Space(36));
            body.Add(new Text(texts.Certifies, Size: 12, Centered: true));
            body.Add(new Space(14));
            body.Add(new Text(holder.FullName!, Size: 22, Bold: true, Centered: true, MaxLines: 2));
            body.Add(new Space(14));
            body.Add(new Text(texts.Attended, Size: 12, Centered: true));
            body.Add(new Space(10));
            body.Add(new Text(course.Title, Size: 15, Bold: true, Centered: true, MaxLines: 3));
            body.Add(new Space(8));
            body.Add(new Text(
                string.Format(CultureInfo.InvariantCulture, texts.HeldIn, course.City, DocumentCourse.Date(course.StartDate), DocumentCourse.Date(course.EndDate)),
                Size: 12, Centered: true, MaxLines: 2));
            body.Add(new Space(40));
            body.Add(new Fields(
            [
                new(texts.HoursAttended, $"{DocumentCourse.Hours(holder.HoursAttended)} / {DocumentCourse.Hours(holder.HoursTotal)}"),
                new(texts.SessionsAttended, $"{holder.SessionsAttended} / {holder.Sessions}"),
                new(texts.Programme, $"{course.ProgrammeCode}: {course.ProgrammeTitle}"),
                new(texts.FundedBy, course.FundingProgramme),
            ], KeyWidth: 150));
            body.Add(new Space(50));
            body.Add(new Signatures([texts.PlaceAndDate, texts.Coordinator, texts.Expert]));
        }

        return PdfLayout.Render(new PdfDocumentSpec($"{texts.CertificateTitle}: {course.Title}", body)
        {
            Footer = $"{course.ProgrammeCode} · {course.City}, {DocumentCourse.Date(course.StartDate)} – {DocumentCourse.Date(course.EndDate)}",
            PageNumbers = null,
        });
    }
}
