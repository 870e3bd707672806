using System.Collections.Frozen;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api;

/// <summary>
/// The one table of display labels: what a person reads where the wire says <c>testingAndImplementation</c>.
/// Workbooks, PDFs and pages all take their words from here, so a label changes in one place. It names the
/// features' enums, so it is not infrastructure: it sits at the root, beside Program.cs, read by the slices that
/// print (Reports, Documents, Pages); country and language names are <see cref="IsoCodes"/>'.
/// </summary>
public static class Labels
{
    private static readonly FrozenDictionary<Enum, string> ByValue = new Dictionary<Enum, string>
    {
        [CourseStatus.Draft] = "Draft",
        [CourseStatus.Open] = "Open for enrolment",
        [CourseStatus.Closed] = "Enrolment closed",
        [CourseStatus.Delivered] = "Delivered",
        [CourseStatus.Evaluated] = "Evaluated",
        [CourseStatus.Cancelled] = "Cancelled",

        [EnrolmentStatus.Enrolled] = "Enrolled",
        [EnrolmentStatus.Waitlisted] = "Waitlisted",
        [EnrolmentStatus.Withdrawn] = "Withdrawn",
        [EnrolmentStatus.NotAdmitted] = "Not admitted",

        [AttendanceStatus.Present] = "Present",
        [AttendanceStatus.Late] = "Late",
        [AttendanceStatus.Excused] = "Excused",
        [AttendanceStatus.Absent] = "Absent",

        [Sector.LawEnforcement] = "Law enforcement",
        [Sector.BorderGuard] = "Border guard",
        [Sector.Judiciary] = "Judiciary",
        [Sector.Health] = "Health",
        [Sector.Ngo] = "NGO",
        [Sector.LabourInspection] = "Labour inspection",
        [Sector.SocialServices] = "Social services",
        [Sector.Prison] = "Prison service",
        [Sector.Other] = "Other",

        [Seniority.Senior] = "Senior staff",
        [Seniority.Field] = "Field staff",
        [Seniority.Unknown] = "Seniority unknown",

        [Role.Admin] = "Administrator",
        [Role.Coordinator] = "Coordinator",
        [Role.CountryExpert] = "Country expert",
        [Role.SteeringGroup] = "Steering group",

        [MilestoneKind.Meeting] = "Meeting",
        [MilestoneKind.Deliverable] = "Deliverable",
        [MilestoneKind.Activity] = "Activity",

        [ProjectStatus.Planned] = "Planned",
        [ProjectStatus.Running] = "Running",
        [ProjectStatus.Completed] = "Completed",

        [PhaseKind.Planning] = "Planning",
        [PhaseKind.Preparation] = "Preparation",
        [PhaseKind.Development] = "Development",
        [PhaseKind.TestingAndImplementation] = "Testing and implementation",
        [PhaseKind.EvaluationAndConclusions] = "Evaluation and conclusions",

        [PhaseStatus.NotStarted] = "Not started",
        [PhaseStatus.InProgress] = "In progress",
        [PhaseStatus.Completed] = "Completed",

        [MeetingKind.SteeringGroup] = "Steering group meeting",
        [MeetingKind.ExpertGroup] = "Expert group meeting",
        [MeetingKind.Conference] = "Conference",
        [MeetingKind.StudyVisit] = "Study visit",
        [MeetingKind.KickOff] = "Kick-off conference",

        [OrganisationType.Government] = "Government",
        [OrganisationType.Ngo] = "NGO",
        [OrganisationType.InternationalOrganisation] = "International organisation",
        [OrganisationType.Academia] = "Academia",
        [OrganisationType.LawEnforcement] = "Law enforcement",
        [OrganisationType.Health] = "Health",
        [OrganisationType.Judiciary] = "Judiciary",
        [OrganisationType.Other] = "Other",

        [RecommendationStatus.Open] = "Open",
        [RecommendationStatus.InProgress] = "In progress",
        [RecommendationStatus.Implemented] = "Implemented",
        [RecommendationStatus.Dropped] = "Dropped",

        [ReportState.Draft] = "Draft",
        [ReportState.Submitted] = "Submitted",
        [ReportState.Accepted] = "Accepted",

        [ResponseSource.Online] = "Online",
        [ResponseSource.Paper] = "Paper",

        [EvaluationPurpose.Reaction] = "Reaction form",
        [EvaluationPurpose.PreTest] = "Knowledge test before",
        [EvaluationPurpose.PostTest] = "Knowledge test after",

        [QuestionType.Likert5] = "Scale 1-5",
        [QuestionType.SingleChoice] = "Single choice",
        [QuestionType.MultipleChoice] = "Multiple choice",
        [QuestionType.Text] = "Free text",
        [QuestionType.Number] = "Number",

        [KirkpatrickLevel.Reaction] = "Reaction",
        [KirkpatrickLevel.Learning] = "Learning",
        [KirkpatrickLevel.Behaviour] = "Behaviour",
        [KirkpatrickLevel.Results] = "Results",

        [MailKind.Invitation] = "Invitation",
        [MailKind.Promotion] = "Promoted from the waitlist",
        [MailKind.Reminder] = "Reminder",
        [MailKind.EvaluationLink] = "Evaluation link",
        [MailKind.ReportSubmitted] = "Report submitted",
        [MailKind.ReportReturned] = "Report returned",
        [MailKind.SignInLink] = "Sign-in link",

        [OutboxStatus.Pending] = "Pending",
        [OutboxStatus.Sending] = "Sending",
        [OutboxStatus.Sent] = "Sent",
        [OutboxStatus.Failed] = "Failed",
        [OutboxStatus.Cancelled] = "Cancelled",

        [SmtpSecurity.None] = "None",
        [SmtpSecurity.StartTls] = "STARTTLS",
        [SmtpSecurity.SslOnConnect] = "SSL on connect",

        [DatabaseEngine.Sqlite] = "SQLite",
        [DatabaseEngine.Postgres] = "PostgreSQL",
    }.ToFrozenDictionary();

    /// <summary>The label of an enum value: <c>Labels.For(CourseStatus.Delivered)</c> → "Delivered".</summary>
    public static string For<TEnum>(TEnum value) where TEnum : struct, Enum =>
        ByValue.TryGetValue(value, out var label) ? label : Humanise(value.ToString());

    /// <summary>Whether the table names this value (a test keeps every enum of the API in it).</summary>
    public static bool IsWritten(Enum value) => ByValue.ContainsKey(value);

    /// <summary>
    /// The label of a wire value as SQL returns it (<c>"lawEnforcement"</c> → "Law enforcement"); a value
    /// that is not one of <typeparamref name="TEnum"/> is humanised rather than thrown on, since reports
    /// must never fail on a label.
    /// </summary>
    public static string For<TEnum>(string? wire) where TEnum : struct, Enum =>
        wire is null ? "" :
        Enum.TryParse<TEnum>(wire, ignoreCase: true, out var value) ? For(value) : Humanise(wire);

    /// <summary>Likert 1..5 anchors, as printed on the paper forms (English; forms carry their own translations).</summary>
    public static readonly IReadOnlyList<string> LikertAnchors =
        ["1 - Very poor", "2 - Poor", "3 - Satisfactory", "4 - Good", "5 - Very good"];

    public static string LikertAnchor(int value) =>
        value is >= 1 and <= 5 ? LikertAnchors[value - 1] : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>English names of the countries this tool meets (<see cref="IsoCodes.CountryNames"/>); other codes are shown as the code.</summary>
    public static readonly FrozenDictionary<string, string> CountryNames = IsoCodes.CountryNames;

    public static string Country(string? code) =>
        code is null ? "" : CountryNames.TryGetValue(code, out var name) ? name : code;

    /// <summary>Language names in the language itself (<see cref="IsoCodes.LanguageNames"/>), for a participant's language switch.</summary>
    public static readonly FrozenDictionary<string, string> LanguageNames = IsoCodes.LanguageNames;

    public static string Language(string? code) =>
        code is null ? "" : LanguageNames.TryGetValue(code, out var name) ? name : code;

    /// <summary><c>TestingAndImplementation</c> or <c>testingAndImplementation</c> → "Testing and implementation".</summary>
    private static string Humanise(string name)
    {
        if (name.Length == 0) return name;
        var builder = new System.Text.StringBuilder(name.Length + 8);
        builder.Append(char.ToUpperInvariant(name[0]));
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsUpper(name[i])) builder.Append(' ').Append(char.ToLowerInvariant(name[i]));
            else builder.Append(name[i]);
        }
        return builder.ToString();
    }
}
