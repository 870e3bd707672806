using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JointEfforts.Benchmarks;

/// <summary>
/// What the load benchmark needs, created through the API itself as a coordinator would (Production never seeds demo
/// data): a programme, open courses for the enrolment writers, participants enough that no (course, participant) pair
/// repeats, and courses with a reaction form, 40 enrolled and their codes issued for the classroom rounds.
/// Every answer is checked; anything unexpected stops the benchmark.
/// </summary>
internal sealed class LoadData
{
    public required int ProjectId { get; init; }

    public required IReadOnlyList<int> OpenCourseIds { get; init; }

    public required IReadOnlyList<int> EnrolmentParticipantIds { get; init; }

    /// <summary>Per classroom course: its 40 unused reaction codes.</summary>
    public required IReadOnlyList<(int CourseId, IReadOnlyList<string> Codes)> Classrooms { get; init; }

    /// <summary>The reaction form's answers every participant gives: one per question, all valid.</summary>
    public static readonly IReadOnlyDictionary<string, object> Answers = new Dictionary<string, object>
    {
        ["overall"] = 4, ["relevance"] = 5, ["trainers"] = 4, ["materials"] = 3, ["methods"] = 4,
        ["organisation"] = 5, ["cooperation"] = 4, ["recommend"] = 5, ["apply"] = "yes", ["sector"] = "health",
        ["hours"] = 14, ["comments"] = "More time for the case studies and the referral exercise, please.",
    };

    public static async Task<LoadData> CreateAsync(HttpClient api, int openCourses, int enrolmentParticipants, int classrooms, int perClassroom)
    {
        var clock = Stopwatch.StartNew();
        var project = await SendAsync(api, HttpMethod.Post, "/api/projects", new
        {
            code = "LOAD-" + Guid.NewGuid().ToString("N")[..8],
            title = "Load benchmark programme",
            fundingProgramme = "EU ISEC",
            startDate = "2025-01-01",
            endDate = "2027-12-31",
            targetParticipantsTrained = 5000,
            beneficiaries = new[] { "Payoke vzw", "Danube University Krems" },
        }, HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetInt32();
        var phases = await SendAsync(api, HttpMethod.Get, $"/api/projects/{projectId}/phases", null, HttpStatusCode.OK);
        if (phases.GetArrayLength() != 5)
        {
            throw new InvalidOperationException($"GET /api/projects/{projectId}/phases: expected the five phases, got {phases}");
        }

        var formId = (await SendAsync(api, HttpMethod.Post, "/api/evaluation-forms", ReactionForm(), HttpStatusCode.Created)).GetProperty("id").GetInt32();
        Console.WriteLine($"  programme {projectId} with its five phases and a reaction form of {Answers.Count} questions: {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var open = new List<int>();
        for (var c = 0; c < openCourses; c++)
        {
            open.Add(await OpenCourseAsync(api, projectId, $"Load course {c + 1}", evaluationFormId: null));
        }

        Console.WriteLine($"  {openCourses} open courses (POST course, POST status open): {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var prefix = "Loadenrol" + Guid.NewGuid().ToString("N")[..6];
        await ImportAsync(api, prefix, enrolmentParticipants, courseId: null);
        var participants = await ParticipantIdsAsync(api, prefix, enrolmentParticipants);
        Console.WriteLine($"  {enrolmentParticipants:N0} participants for the enrolment writers (one CSV import, listed back): {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var rooms = new List<(int, IReadOnlyList<string>)>();
        for (var r = 0; r < classrooms; r++)
        {
            var courseId = await OpenCourseAsync(api, projectId, $"Load classroom {r + 1}", formId);
            await ImportAsync(api, $"Loadroom{r + 1}x{Guid.NewGuid().ToString("N")[..6]}", perClassroom, courseId);
            var batch = await SendAsync(api, HttpMethod.Post, $"/api/courses/{courseId}/evaluation-codes", null, HttpStatusCode.Created);
            var codes = batch.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
            if (codes.Count != perClassroom)
            {
                throw new InvalidOperationException($"course {courseId}: {perClassroom} enrolled, but {codes.Count} codes issued: {batch}");
            }

            rooms.Add((courseId, codes));
        }

        Console.WriteLine($"  {classrooms} classroom courses with the form, {perClassroom} enrolled (CSV import ?courseId=) and their codes issued: " +
                          $"{clock.Elapsed.TotalSeconds:F1} s");
        return new LoadData { ProjectId = projectId, OpenCourseIds = open, EnrolmentParticipantIds = participants, Classrooms = rooms };
    }

    /// <summary>Sends a request and returns the JSON answer; any other status than <paramref name="expected"/> stops the run.</summary>
    public static async Task<JsonElement> SendAsync(HttpClient api, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        return await SendAsync(api, request, expected);
    }

    private static async Task<JsonElement> SendAsync(HttpClient api, HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<int> OpenCourseAsync(HttpClient api, int projectId, string title, int? evaluationFormId)
    {
        var course = await SendAsync(api, HttpMethod.Post, $"/api/projects/{projectId}/courses", new
        {
            title,
            countryCode = "AT",
            city = "Vienna",
            venue = "Danube University Krems",
            language = "en",
            startDate = "2026-03-02",
            endDate = "2026-03-04",
            evaluationFormId,
        }, HttpStatusCode.Created);
        var id = course.GetProperty("id").GetInt32();
        await SendAsync(api, HttpMethod.Post, $"/api/courses/{id}/status", new { status = "open" }, HttpStatusCode.OK);
        return id;
    }

    private static async Task ImportAsync(HttpClient api, string prefix, int count, int? courseId)
    {
        var csv = new StringBuilder("fullName,email,organisation,sector,countryCode,seniority\n");
        string[] sectors = ["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "socialServices"];
        for (var i = 0; i < count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{prefix} Participant {i:D5},{prefix.ToLowerInvariant()}.{i:D5}@example.org,Agency {i % 40:D2},{sectors[i % sectors.Length]},AT,{(i % 4 == 0 ? "senior" : "field")}\n");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/participants/import" + (courseId is { } id ? $"?courseId={id}" : ""))
        {
            Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"),
        };
        var result = await SendAsync(api, request, HttpStatusCode.OK);
        if (result.GetProperty("created").GetInt32() != count)
        {
            throw new InvalidOperationException($"import of {count} new participants{(courseId is null ? "" : $" into course {courseId}")} answered {result}");
        }
    }

    private static async Task<IReadOnlyList<int>> ParticipantIdsAsync(HttpClient api, string prefix, int count)
    {
        var ids = new List<int>();
        for (var page = 1; ids.Count < count; page++)
        {
            var list = await SendAsync(api, HttpMethod.Get, $"/api/participants?q={prefix}&pageSize=200&page={page}", null, HttpStatusCode.OK);
            var items = list.GetProperty("items");
            if (items.GetArrayLength() == 0)
            {
                throw new InvalidOperationException($"GET /api/participants?q={prefix}: {ids.Count} found, {count} imported");
            }

            ids.AddRange(items.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        }

        return ids;
    }

    /// <summary>A reaction form like the programme's: eight likert questions, two single choices, a number and a text, all required but the text.</summary>
    private static object ReactionForm()
    {
        object Text(string en) => new { en };
        object Question(string key, string type, string level, string text, bool required = true, object[]? options = null) =>
            options is null
                ? (object)new { key, type, level, required, text = Text(text) }
                : new { key, type, level, required, text = Text(text), options };
        object Option(string value, string text) => new { value, text = Text(text) };
        return new
        {
            title = "Load benchmark reaction form",
            purpose = "reaction",
            languages = new[] { "en" },
            questions = new[]
            {
                Question("overall", "likert5", "reaction", "Overall, how useful was the course?"),
                Question("relevance", "likert5", "reaction", "The training was relevant to my daily work."),
                Question("trainers", "likert5", "reaction", "The trainers knew their subject."),
                Question("materials", "likert5", "reaction", "The materials were clear."),
                Question("methods", "likert5", "reaction", "The case studies and exercises helped me learn."),
                Question("organisation", "likert5", "reaction", "The course was well organised."),
                Question("cooperation", "likert5", "behaviour", "I know whom to call in the other agencies."),
                Question("recommend", "likert5", "reaction", "I would recommend this course to a colleague."),
                Question("apply", "singleChoice", "behaviour", "Will you apply what you learned?", options:
                    [Option("yes", "Yes"), Option("partly", "Partly"), Option("no", "No")]),
                Question("sector", "singleChoice", "reaction", "Where do you work?", options:
                    [Option("lawEnforcement", "Law enforcement"), Option("health", "Health"), Option("ngo", "NGO"), Option("other", "Other")]),
                Question("hours", "number", "reaction", "How many hours of training on trafficking have you had before?"),
                Question("comments", "text", "reaction", "What should be improved?", required: false),
            },
        };
    }
}
