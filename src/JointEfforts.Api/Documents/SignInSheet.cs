using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Documents;

/// <summary>
/// A session's sign-in sheet: the funders' evidence of attendance. The enrolled participants in name order
/// (erased ones have no name to print and are left off), with an empty signature column, rows ~9 mm tall,
/// the course and session repeated on every page: 40 names take two pages.
/// </summary>
public static class SignInSheet
{
    private const string SelectSessionAndParticipants = """
        SELECT s.id AS Id, s.title AS Title, s.date AS Date, s.hours AS Hours,
               (SELECT COUNT(*) FROM course_sessions o
                WHERE o.course_id = s.course_id AND (o.date < s.date OR (o.date = s.date AND o.id <= s.id))) AS Number
        FROM course_sessions s
        WHERE s.id = @sessionId AND s.course_id = @id;

        SELECT p.full_name AS FullName, p.organisation AS Organisation, p.sector AS Sector
        FROM enrolments e
        JOIN participants p ON p.id = e.participant_id
        WHERE e.course_id = @id AND e.status = 'enrolled' AND p.full_name IS NOT NULL
        ORDER BY p.id;
        """;

    public sealed record Session
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public DateOnly Date { get; init; }

        public double Hours { get; init; }

        public int Number { get; init; }
    }

    public sealed record Row
    {
        public required string FullName { get; init; }

        public required string Organisation { get; init; }

        public required string Sector { get; init; }
    }

    /// <summary>The session (null when the course has no such session) and its enrolled participants.</summary>
    public static async Task<(Session? Session, IReadOnlyList<Row> Rows)> ReadAsync(DbConnection db, int id, int sessionId)
    {
        using var results = await db.QueryMultipleAsync(SelectSessionAndParticipants, new { id, sessionId });
        var session = await results.ReadSingleOrDefaultAsync<Session>();
        var rows = DocumentFiles.InNameOrder(await results.ReadAsync<Row>(), r => r.FullName).ToList();
        return (session, rows);
    }

    public static string FileName(DocumentCourse course, Session session) =>
        DocumentFiles.Name(course.City, session.Date, $"sign-in-session-{session.Number}");

    /// <summary>
    /// The sheet in <paramref name="texts"/> (the course language); the title carries the English one beneath when the
    /// course language is another (on the same line: forty names still fit on two pages), for the funders who read it as evidence. <paramref name="sector"/> names a sector.
    /// </summary>
    public static byte[] Render(
        DocumentCourse course, Session session, IReadOnlyList<Row> rows, SignInTexts texts, SignInTexts english, Func<string, string> sector)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var header = new List<Block> { new Text(texts.Title == english.Title ? texts.Title : $"{texts.Title} · {english.Title}", Size: 15, Bold: true, MaxLines: 1) };
        header.Add(new Text(course.Title, Size: 10.5, Bold: true, MaxLines: 2));
        header.Add(new Space(4));
        header.Add(new Fields(
            [
                new(texts.Session, $"{session.Number}. {session.Title}"),
                new(texts.When, string.Format(invariant, texts.DateAndHours, DocumentCourse.Date(session.Date), DocumentCourse.Hours(session.Hours))),
                new(texts.Venue, course.Place),
                new(texts.Funding, course.Funding, MaxLines: 3), // the funders' evidence: room for the programme's whole title
            ], KeyWidth: 95, MaxLines: 2));
        header.Add(new Space(4));
        var table = new Table(
            [new(texts.Number, 0.5, AlignRight: true), new(texts.Name, 2.1), new(texts.Organisation, 2.7), new(texts.Sector, 1.9), new(texts.Signature, 2.4)],
            rows.Select((row, i) => (IReadOnlyList<string>)
                [(i + 1).ToString(invariant), row.FullName, row.Organisation, sector(row.Sector), ""])
                .ToList(),
            RowHeight: 26);
        var body = new List<Block> { table };
        if (rows.Count == 0)
        {
            body.Add(new Text(texts.NoneEnrolled, Muted: true));
        }

        return PdfLayout.Render(new PdfDocumentSpec($"{texts.Title}: {course.Title}, {session.Title}", body)
        {
            PageHeader = header,
            PageNumbers = texts.PageNumbers,
            Footer = string.Format(invariant, texts.Footer, course.City, DocumentCourse.Date(session.Date), session.Number, rows.Count),
        });
    }
}
