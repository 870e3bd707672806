using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Examples from the demo programme (Joint Efforts, EU ISEC 2011-2014, seeded by <c>--seed-demo</c>): ids of
/// demo objects for every path parameter, and for every request body a value that succeeds when sent
/// unchanged from Swagger UI to the demo data (a test sends each one). A route with a body and no example
/// here fails <c>OpenApiTests</c>.
/// </summary>
public static class OpenApiExamples
{
    /// <summary>
    /// A slip of the Vienna course that the demo seed leaves unused for the reaction form. Demo codes are
    /// generated deterministically by the evaluation demo seed: if that changes, pick another unused one
    /// (the examples test names this constant when the code is refused).
    /// </summary>
    public const string DemoCode = "AEDF-723G-K73U";

    /// <summary>A session of course 6 for which the demo takes no attendance (Day 2, 2013-11-19: UpdateSession changes it; RecordAttendance uses day 1, 14).</summary>
    public const int UnattendedSession = 15;

    /// <summary>Demo ids by the collection an <c>{id}</c> addresses: <c>/api/courses/{id}</c> is the Vienna pilot course.</summary>
    private static readonly Dictionary<string, int> DemoIds = new(StringComparer.Ordinal)
    {
        ["users"] = 3,              // demo.coordinator
        ["projects"] = 1,           // ISEC-JOINT-EFFORTS
        ["phases"] = 4,             // Testing and implementation
        ["milestones"] = 13,        // Pilot course United Kingdom (London)
        ["meetings"] = 3,           // First Expert Group Meeting, Antwerp
        ["recommendations"] = 3,
        ["courses"] = 1,            // Vienna pilot course, delivered
        ["participants"] = 33,      // Sanne de Vries, Amsterdam
        ["evaluation-forms"] = 1,   // Pilot course evaluation: reaction
        ["evaluations"] = 1,
    };

    /// <summary>Other parameters by name, in the Vienna course where they belong to a course.</summary>
    private static readonly Dictionary<string, JsonNode> ByName = new(StringComparer.Ordinal)
    {
        ["sessionId"] = 1,          // Vienna, day 1
        ["enrolmentId"] = 1,
        ["participantId"] = 1,      // Anna Huber, enrolled in Vienna
        ["batchId"] = 1,
        ["attendeeId"] = 1,
        ["tokenId"] = 3,
        ["code"] = DemoCode,
        ["language"] = "pl",        // /api/languages/{language}, /api/evaluation-forms/{id}/translations/{language}
    };

    private sealed record Example(IReadOnlyDictionary<string, int> Ids, string? Json, string? Note = null);

    private static Example Body(string json, object? ids = null, string? note = null) =>
        new(ids is null ? new Dictionary<string, int>() : ids.GetType().GetProperties().ToDictionary(p => p.Name, p => (int)p.GetValue(ids)!), json, note);

    /// <summary>By operation name: the body and the ids it is meant for.</summary>
    private static readonly Dictionary<string, Example> Bodies = new(StringComparer.Ordinal)
    {
        ["CreateUser"] = Body("""
            { "userName": "demo.expert.be", "displayName": "Country expert Belgium", "role": "countryExpert", "countryCode": "BE" }
            """),
        ["UpdateUser"] = Body("""
            { "userName": "demo.expert.se", "displayName": "Country expert Sweden (Stockholm pilot course)", "role": "countryExpert", "countryCode": "SE", "email": null }
            """, new { id = 10 }),
        ["CreateToken"] = Body("""{ "expiresInDays": 90 }""", new { id = 10 }),
        ["CreateSignInLink"] = Body("""{ "expiresInDays": 7 }""", new { id = 10 }),
        ["CreateProject"] = Body("""
            {
              "code": "ISEC-JE-FOLLOW-UP",
              "title": "Joint efforts follow-up: training of trainers for police and health authorities",
              "fundingProgramme": "EU ISEC (Prevention of and Fight against Crime)",
              "startDate": "2014-06-01",
              "endDate": "2015-11-30",
              "targetParticipantsTrained": 120,
              "beneficiaries": ["Payoke vzw", "Danube University Krems"],
              "countries": ["BE", "AT", "NL"],
              "status": "planned",
              "budget": { "currency": "EUR", "initial": 450000, "final": null, "granted": 405000, "note": "As applied for: 90 % from ISEC." },
              "localTitles": null
            }
            """),
        ["UpdateProject"] = Body("""
            {
              "code": "ISEC-JOINT-EFFORTS",
              "title": "Joint efforts of Police and Health Authorities in the EU-Member States and Third Countries to Combat and Prevent Trafficking in Human Beings and Protect and Assist Victims of Trafficking",
              "fundingProgramme": "EU ISEC (Prevention of and Fight against Crime)",
              "startDate": "2011-10-20",
              "endDate": "2014-03-20",
              "targetParticipantsTrained": 160,
              "beneficiaries": ["Payoke vzw", "Danube University Krems"],
              "countries": ["BE", "HU", "SE", "LU", "NL", "PT", "RO", "AT", "AL", "MD", "GB", "NO"],
              "status": "running",
              "budget": null,
              "localTitles": { "de": "Gemeinsame Anstrengungen von Polizei und Gesundheitsbehörden gegen Menschenhandel" }
            }
            """, new { id = 1 }),
        ["UpdatePhase"] = Body("""
            { "name": "Evaluation and conclusions", "plannedStart": "2014-01-01", "plannedEnd": "2014-03-20", "status": "inProgress" }
            """, new { id = 5 }),
        ["CreateMilestone"] = Body("""
            { "title": "Training curriculum handed to the national police academies", "kind": "deliverable", "dueDate": "2014-03-14" }
            """, new { id = 5 }),
        ["UpdateMilestone"] = Body("""
            { "title": "Final project report to the European Commission", "kind": "deliverable", "dueDate": "2014-03-14", "courseId": null, "meetingId": null }
            """, new { id = 22 }),
        ["CompleteMilestone"] = Body("""{ "completedOn": "2014-02-28" }""", new { id = 16 }),
        ["CreateMeeting"] = Body("""
            {
              "kind": "steeringGroup",
              "title": "Project Steering Group meeting: final report",
              "topic": "Approval of the final report and the dissemination plan",
              "phaseId": 5,
              "city": "Brussels",
              "countryCode": "BE",
              "startDate": "2014-03-07",
              "endDate": "2014-03-07",
              "capacity": 12
            }
            """, new { id = 1 }),
        ["UpdateMeeting"] = Body("""
            {
              "kind": "conference",
              "title": "Project Conclusion Conference",
              "topic": "Results of the training and recommendations for Member States",
              "phaseId": 5,
              "city": "Brussels",
              "countryCode": "BE",
              "startDate": "2014-03-06",
              "endDate": "2014-03-06",
              "capacity": 120
            }
            """, new { id = 8 }),
        ["AddAttendee"] = Body("""
            { "fullName": "Els Janssens", "organisation": "Federal Judicial Police, Brussels", "organisationType": "lawEnforcement", "countryCode": "BE" }
            """, new { id = 8 }),
        ["SetMeetingConclusions"] = Body("""
            { "text": "The first four pilot courses reached 125 participants. The steering group asks the country experts to report attendance per sector and the knowledge-test results with each evaluation report." }
            """, new { id = 7 }),
        ["CreateRecommendation"] = Body("""
            { "text": "Hand out the translated indicator pocket cards on the first day of every pilot course.", "owner": "Danube University Krems", "dueDate": "2013-11-15" }
            """, new { id = 7 }),
        ["UpdateRecommendation"] = Body("""
            {
              "text": "Developing common acceptable standards that fit into the overall context and structural background and provide a basis for the next steps; specific and generic enough to be applicable to concrete situations.",
              "owner": "Expert Group",
              "dueDate": "2013-12-31",
              "status": "implemented"
            }
            """, new { id = 3 }),
        ["CreateCourse"] = Body("""
            {
              "title": "Joint efforts follow-up training Vienna: interviewing victims of trafficking",
              "countryCode": "AT",
              "city": "Vienna",
              "venue": "Bundeskriminalamt training centre, Vienna",
              "language": "de",
              "startDate": "2014-02-10",
              "endDate": "2014-02-12",
              "minParticipants": 25,
              "maxParticipants": 40,
              "countryExpertUserId": 5,
              "evaluationFormId": 1,
              "preTestFormId": 2,
              "postTestFormId": 3,
              "completionThreshold": 0.8
            }
            """, new { id = 1 }),
        ["UpdateCourse"] = Body("""
            {
              "title": "Joint efforts pilot training Stockholm: protecting and assisting victims of trafficking",
              "countryCode": "SE",
              "city": "Stockholm",
              "venue": "Polismyndigheten training centre, Stockholm",
              "language": "sv",
              "startDate": "2013-11-18",
              "endDate": "2013-11-20",
              "minParticipants": 25,
              "maxParticipants": 32,
              "countryExpertUserId": 10,
              "evaluationFormId": 1,
              "preTestFormId": 2,
              "postTestFormId": 3,
              "completionThreshold": 0.8
            }
            """, new { id = 6 }),
        ["MoveCourse"] = Body("""{ "status": "delivered" }""", new { id = 5 }),
        ["CreateSession"] = Body("""
            { "date": "2013-11-20", "title": "Day 3 (afternoon): case study on unaccompanied minors", "hours": 3.5 }
            """, new { id = 6 }),
        ["UpdateSession"] = Body("""
            { "date": "2013-11-19", "startTime": "09:00", "endTime": "12:30", "title": "Day 2 (morning): victim identification in practice", "hours": 3.5, "trainer": "Dr. Ilse Maes" }
            """, new { id = 6, sessionId = UnattendedSession }),
        ["Enrol"] = Body("""{ "participantId": 127 }""", new { id = 6 }),
        ["RecordAttendance"] = Body("""
            [
              { "participantId": 153, "status": "present" },
              { "participantId": 154, "status": "late" },
              { "participantId": 155, "status": "excused" },
              { "participantId": 156, "status": "absent" }
            ]
            """, new { id = 6, sessionId = 14 }),
        ["CreateParticipant"] = Body("""
            {
              "fullName": "Lotte Bakker",
              "email": "lotte.bakker@politie.example.nl",
              "organisation": "Nationale Politie, eenheid Amsterdam",
              "sector": "lawEnforcement",
              "countryCode": "NL",
              "seniority": "field"
            }
            """),
        ["UpdateParticipant"] = Body("""
            {
              "fullName": "Sanne de Vries",
              "email": "sanne.devries@example.nl",
              "organisation": "University Hospital, emergency department, Amsterdam",
              "sector": "health",
              "countryCode": "NL",
              "seniority": "senior"
            }
            """, new { id = 33 }),
        ["CreateEvaluationForm"] = Body(FollowUpForm),
        ["UpdateEvaluationForm"] = Body(FollowUpForm, new { id = 5 },
            "Form 5 is the one the example of POST /api/evaluation-forms creates; the demo forms 1 to 4 (4: the Poland programme's Polish form) have answers and are frozen (409)."),
        // Issued for the open Stockholm course (routes that take no body use only the ids).
        ["IssueEvaluationCodes"] = Body("""{ "count": 5 }""", new { id = 6 }),
        ["SubmitEvaluation"] = Body("""
            {
              "code": "{{DemoCode}}",
              "purpose": "reaction",
              "language": "nl",
              "answers": { "relevance": 5, "trainers": 4, "materials": 4, "organisation": 5, "overall": 5, "apply": "yes", "topics": ["indicators", "health"], "comments": "Zeer praktisch." }
            }
            """.Replace("{{DemoCode}}", DemoCode, StringComparison.Ordinal),
            note: $"{DemoCode} is a demo slip of the delivered Amsterdam course not yet used for the reaction form; a code answers each purpose once (then 409)."),
        ["EnterPaperEvaluation"] = Body("""
            {
              "purpose": "reaction",
              "language": "ro",
              "answers": { "relevance": 5, "trainers": 5, "materials": 4, "organisation": 4, "overall": 5, "apply": "partly", "topics": ["identification", "referral"], "comments": "Studiile de caz au fost foarte utile." }
            }
            """, new { id = 4 }),
        ["WriteEvaluationReport"] = Body("""
            {
              "deliveredOn": "2013-09-25",
              "participantsAttended": 30,
              "summary": "The pilot course in Chișinău brought together police, border guard, health and NGO practitioners; the post-test shows a clear gain in knowledge.",
              "strengths": "Mixed groups of police and health staff; practical case studies on referral.",
              "weaknesses": "Interpretation slowed down the first morning.",
              "recommendations": ["Translate the pocket cards into Romanian before the course.", "Invite a prosecutor to the session on criminal proceedings."],
              "overallRating": 4
            }
            """, new { id = 4 }),
        ["PutEvaluationFormTranslation"] = Body("""
            {
              "questions": {
                "relevance": "Szkolenie było przydatne w mojej codziennej pracy.",
                "trainers": "Trenerzy byli kompetentni i angażowali grupę.",
                "materials": "Materiały szkoleniowe (podręcznik, karty kieszonkowe) były przydatne.",
                "organisation": "Szkolenie było dobrze zorganizowane (miejsce, harmonogram, tłumaczenie).",
                "overall": "Ogólnie jestem zadowolony(-a) ze szkolenia.",
                "apply": "Czy zastosuje Pan/Pani zdobytą wiedzę we współpracy z policją, służbą zdrowia lub organizacjami pozarządowymi?",
                "topics": "Które tematy były dla Pana/Pani najbardziej przydatne? (można wybrać kilka)",
                "comments": "Co należałoby poprawić w tym szkoleniu?"
              },
              "options": {
                "apply": { "yes": "Tak", "partly": "Częściowo", "no": "Nie" },
                "topics": {
                  "indicators": "Wskaźniki handlu ludźmi",
                  "identification": "Identyfikacja ofiar i rozmowy z nimi",
                  "health": "Opieka zdrowotna i psychologiczna dla ofiar",
                  "referral": "Kierowanie do pomocy i współpraca między instytucjami",
                  "minors": "Małoletni bez opieki"
                }
              }
            }
            """, new { id = 1 }, note: "The demo's reaction form in Polish: text is not structure, so this works on a form with answers."),
        ["PutLanguageTexts"] = Body("""
            { "texts": { "page.thanksTitle": "Dziękujemy bardzo!", "likert.3": "Dostatecznie" } }
            """),
        ["ReturnEvaluationReport"] = Body("""
            { "comment": "Please add the attendance per sector and the results of the knowledge test before we accept the report." }
            """, new { id = 2 }),
    };

    private const string FollowUpForm = """
        {
          "title": "Follow-up questionnaire: three months after the course",
          "purpose": "reaction",
          "languages": ["en", "nl"],
          "questions": [
            {
              "key": "usedInWork",
              "type": "likert5",
              "level": "behaviour",
              "required": true,
              "text": { "en": "I have used what I learnt in my work.", "nl": "Ik heb het geleerde in mijn werk gebruikt." }
            },
            {
              "key": "referrals",
              "type": "singleChoice",
              "level": "results",
              "required": false,
              "text": { "en": "Did you refer a presumed victim since the course?", "nl": "Heeft u sinds de cursus een vermoedelijk slachtoffer doorverwezen?" },
              "options": [
                { "value": "yes", "text": { "en": "Yes", "nl": "Ja" } },
                { "value": "no", "text": { "en": "No", "nl": "Nee" } }
              ]
            },
            {
              "key": "comments",
              "type": "text",
              "level": "reaction",
              "required": false,
              "text": { "en": "Anything else?", "nl": "Nog iets?" }
            }
          ]
        }
        """;

    /// <summary>The participant list of the import example: two Dutch participants, as coordinators keep them.</summary>
    public const string ImportCsv = """
        fullName,email,organisation,sector,countryCode,seniority
        Pieter van Dijk,p.vandijk@marechaussee.example.nl,Koninklijke Marechaussee,borderGuard,NL,field
        Fatima El Amrani,,CoMensha,ngo,NL,senior

        """;

    public static void Apply(string path, OpenApiOperation operation)
    {
        var example = operation.OperationId is { } name ? Bodies.GetValueOrDefault(name) : null;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path))
        {
            if (example?.Ids.GetValueOrDefault(parameter.Name!) is { } specific and > 0)
            {
                parameter.Example = JsonValue.Create(specific);
                continue;
            }

            // {id} addresses the collection before it; other names are the same object wherever they appear.
            var index = Array.IndexOf(segments, "{" + parameter.Name + "}");
            var collection = index > 0 ? segments[index - 1] : null;
            if (parameter.Name == "id" && collection is not null && DemoIds.TryGetValue(collection, out var id))
            {
                parameter.Example = JsonValue.Create(id);
            }
            else if (parameter.Name is { } other && ByName.TryGetValue(other, out var value))
            {
                parameter.Example = value.DeepClone();
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            if (parameter.Name is "code" && ByName.TryGetValue(parameter.Name, out var value))
            {
                parameter.Example = value.DeepClone();
            }
        }

        if (operation.RequestBody is not OpenApiRequestBody body || body.Content is null)
        {
            return;
        }

        if (example?.Json is { } json && body.Content.TryGetValue("application/json", out var media))
        {
            media.Example = JsonNode.Parse(json);
            if (example.Note is { } note)
            {
                body.Description = note;
            }
        }

        if (body.Content.TryGetValue("text/csv", out var csv))
        {
            csv.Example = JsonValue.Create(ImportCsv.Replace("\r\n", "\n", StringComparison.Ordinal));
        }
    }
}
