using System.Globalization;
using System.Text;

namespace JointEfforts.Api.Mail;

/// <summary>
/// The course as an iCalendar file (RFC 5545) attached to invitations: one all-day event from the first to the last
/// day, at the venue. Its UID is the course's, so a promotion's file updates the same calendar entry.
/// </summary>
public static class Calendar
{
    internal static string ForCourse(CourseMail.Recipient course, MailOptions options)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//JointEfforts//Courses//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            $"UID:course-{course.CourseId}@{options.MessageIdDomain}",
            $"DTSTAMP:{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}",
            $"DTSTART;VALUE=DATE:{course.StartDate:yyyyMMdd}",
            // DTEND of an all-day event is the day after the last (exclusive).
            $"DTEND;VALUE=DATE:{course.EndDate.AddDays(1):yyyyMMdd}",
            "SUMMARY:" + Escape(course.Title),
            "LOCATION:" + Escape(string.IsNullOrWhiteSpace(course.Venue) ? course.City : $"{course.Venue}, {course.City}"),
            "URL:" + options.PublicBaseUrl + "/",
            "END:VEVENT",
            "END:VCALENDAR",
        };
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(text, line);
        }

        return text.ToString();
    }

    /// <summary>TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11).</summary>
    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Lines end CRLF and are folded at 75 octets, never inside a UTF-8 character (RFC 5545 3.1).</summary>
    private static void Fold(StringBuilder text, string line)
    {
        var octets = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(line);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            var size = Encoding.UTF8.GetByteCount(element);
            if (octets + size > 75)
            {
                text.Append("\r\n ");
                octets = 1;
            }

            text.Append(element);
            octets += size;
        }

        text.Append("\r\n");
    }
}
