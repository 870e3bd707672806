using JointEfforts.Api.Courses;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>The buttons of a course's workflow: the moves <see cref="CoursesApi.Moves"/> allows from its status, each in words.</summary>
public static class CourseStatusMoves
{
    public static IEnumerable<(CourseStatus Target, string Label)> From(CourseStatus status) =>
        CoursesApi.Moves[status].Select(target => (target, Label(status, target)));

    public static string Label(CourseStatus from, CourseStatus to) => (from, to) switch
    {
        (CourseStatus.Closed, CourseStatus.Open) => "Reopen enrolment",
        (_, CourseStatus.Open) => "Open for enrolment",
        (_, CourseStatus.Closed) => "Close enrolment",
        (_, CourseStatus.Delivered) => "Mark as delivered",
        (_, CourseStatus.Evaluated) => "Mark as evaluated",
        (_, CourseStatus.Cancelled) => "Cancel the course",
        _ => "Move to " + Labels.For(to).ToLowerInvariant(),
    };

    /// <summary>What the course pages did, said on the course page after it (<c>?done=</c>); null for anything else.</summary>
    public static string? Notice(string? done) => done switch
    {
        "created" => "The course was created, in draft. Add its sessions, then open it for enrolment.",
        "saved" => "The course was saved.",
        "open" => "The course is open for enrolment.",
        "closed" => "Enrolment is closed.",
        "delivered" => "The course is marked as delivered; its waiting list is closed.",
        "evaluated" => "The course is marked as evaluated.",
        "cancelled" => "The course is cancelled.",
        _ => null,
    };
}
