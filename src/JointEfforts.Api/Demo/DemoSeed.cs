using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace JointEfforts.Api.Demo;

public sealed record DemoToken(string Role, string UserName, string Token);

/// <summary>What the feature seeds build on: the Joint Efforts programme and the demo users.</summary>
public sealed record DemoContext(
    long ProjectId,
    IReadOnlyDictionary<int, long> PhaseIds,
    long CoordinatorId,
    long SteeringGroupId,
    IReadOnlyDictionary<string, long> ExpertIds);

/// <summary>
/// The Joint Efforts programme (EU ISEC, 2011-2014) from the programme documents, the IOM Poland
/// programme PL15-0032, and one demo user and token per role. Seeded once: a second start only
/// makes sure the demo tokens still work. Never in Production (see <see cref="SeedOnStart"/>).
/// </summary>
public static class DemoSeed
{
    public const string ProjectCode = "ISEC-JOINT-EFFORTS";

    /// <summary>The six pilot countries of phase 4 and their course languages.</summary>
    public static readonly IReadOnlyList<(string Country, string Language, string City)> PilotCountries =
    [
        ("AT", "de", "Vienna"),
        ("NL", "nl", "Amsterdam"),
        ("AL", "sq", "Tirana"),
        ("MD", "ro", "Chișinău"),
        ("GB", "en", "London"),
        ("SE", "sv", "Stockholm"),
    ];

    // Demo tokens are fixed so the README can list them. They exist only where demo data is seeded.
    private static readonly IReadOnlyList<(string UserName, string DisplayName, Role Role, string? Country, string Token)> Users =
    [
        ("demo.admin", "Demo Administrator", Role.Admin, null, "je_demo_admin_4f9c2a7e1b8d6053c1e7a9f2b4d8e6a1"),
        ("demo.coordinator", "Demo Coordinator (Payoke)", Role.Coordinator, null, "je_demo_coordinator_8b1e5d3f9a2c7064e2d8b1a5c9f3e7b2"),
        ("demo.steering", "Demo Steering Group member", Role.SteeringGroup, null, "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4"),
        ("demo.expert.at", "Country expert Austria", Role.CountryExpert, "AT", "je_demo_expert_at_6e3b8f1a4c9d2075b4e1a8c3f6d9b2e7"),
        ("demo.expert.nl", "Country expert Netherlands", Role.CountryExpert, "NL", "je_demo_expert_nl_9a4d2c8e7f1b3056c5a2e9b4d7f1c3a8"),
        ("demo.expert.al", "Country expert Albania", Role.CountryExpert, "AL", "je_demo_expert_al_3f8e1b6d9c4a7025d6b3f8a1e9c4d7b5"),
        ("demo.expert.md", "Country expert Moldova", Role.CountryExpert, "MD", "je_demo_expert_md_7c2f9a5e3b8d1046e7c4a9f2b5e8d1c6"),
        ("demo.expert.gb", "Country expert United Kingdom", Role.CountryExpert, "GB", "je_demo_expert_gb_1d6a3e8c5f2b9074f8d5b2a7c3e6f9d3"),
        ("demo.expert.se", "Country expert Sweden", Role.CountryExpert, "SE", "je_demo_expert_se_5b9e2d7a1c6f3089a9e6c3b8d4f7a2e9"),
    ];

    /// <summary>The participating countries the programme documents name (seeds 000 and 001; "UK" is GB, "Moldavia" MD).</summary>
    public static readonly IReadOnlyList<string> JointEffortsCountries = ["BE", "HU", "SE", "LU", "NL", "PT", "RO", "AT", "AL", "MD", "GB", "NO"];

    /// <summary>
    /// At start, after the migrations (Program.cs): seeds the demo when <c>JointEfforts:SeedDemo</c> (or
    /// <c>--seed-demo</c>) says so, by default in Development, never in Production; then prints the demo tokens.
    /// </summary>
    public static void SeedOnStart(this WebApplication app)
    {
        var seedDemo = app.Configuration.GetValue<bool?>(Startup.SeedDemoSetting) ?? app.Environment.IsDevelopment();
        if (seedDemo && app.Environment.IsProduction())
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JointEfforts.Startup")
                .LogWarning("Demo data is never seeded in Production; ignoring {Setting}.", Startup.SeedDemoSetting);
            seedDemo = false;
        }

        if (seedDemo)
        {
            // Once across instances starting together on one PostgreSQL database (Database.RunOnce).
            var database = app.Services.GetRequiredService<Database>();
            var tokens = database.RunOnce(() =>
            {
                using var connection = database.Open();
                return Seed(connection);
            });
            app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, tokens));
        }
    }

    private static void PrintWelcome(WebApplication app, IReadOnlyList<DemoToken> tokens)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost:5080";
        var lines = new List<string>
        {
            string.Empty,
            "JointEfforts API is running with the demo programme.",
            $"  API:        {address}/api",
            $"  Swagger UI: {address}/swagger",
            $"  OpenAPI:    {address}{OpenApi.DocumentPath}",
            $"  Dashboard:  {address}/dashboard (sign in with the steeringGroup token below)",
            $"  Form page:  {address}/e (the code slips' QR codes open {address}/e/{{code}})",
            "  Demo tokens (Authorization: Bearer <token>):",
        };
        lines.AddRange(tokens.Select(t => $"    {t.Role,-14} {t.UserName,-22} {t.Token}"));
        lines.Add(string.Empty);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    public static IReadOnlyList<DemoToken> Seed(DbConnection db)
    {
        using var transaction = db.BeginTransaction();
        var userIds = new Dictionary<string, long>();
        foreach (var user in Users)
        {
            var id = db.QuerySingleOrDefault<long?>(
                $"SELECT id FROM users WHERE {db.Sql().EqualsIgnoreCase("user_name", "@UserName")} AND deleted_at IS NULL", new { user.UserName }, transaction)
                ?? db.ExecuteScalar<long>(
                    "INSERT INTO users (user_name, display_name, role, country_code) VALUES (@UserName, @DisplayName, @Role, @Country) RETURNING id",
                    new { user.UserName, user.DisplayName, Role = user.Role.ToWire(), user.Country }, transaction);
            db.Execute(
                "INSERT INTO api_tokens (user_id, token_hash) VALUES (@id, @hash) ON CONFLICT (token_hash) DO NOTHING",
                new { id, hash = BearerTokens.Hash(user.Token) }, transaction);
            userIds[user.UserName] = id;
        }

        var seeded = db.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE code = @ProjectCode)", new { ProjectCode }, transaction);
        if (!seeded)
        {
            var context = SeedProgrammes(db, transaction, userIds);
            ProgrammeDemo.Seed(db, transaction, context);
            CourseDemo.Seed(db, transaction, context);
            EvaluationDemo.Seed(db, transaction, context);
            FollowThrough(db, transaction, context);
            PolandDemo.Seed(db, transaction, context);
        }

        transaction.Commit();
        return Users.Select(u => new DemoToken(u.Role.ToWire(), u.UserName, u.Token)).ToList();
    }

    private static DemoContext SeedProgrammes(DbConnection db, DbTransaction transaction, Dictionary<string, long> userIds)
    {
        var projectId = InsertProject(db, transaction, new
        {
            Code = ProjectCode,
            Title = "Joint efforts of Police and Health Authorities in the EU-Member States and Third Countries to Combat and " +
                    "Prevent Trafficking in Human Beings and Protect and Assist Victims of Trafficking",
            FundingProgramme = "EU ISEC (Prevention of and Fight against Crime)",
            StartDate = new DateOnly(2011, 10, 20),
            EndDate = new DateOnly(2014, 3, 20), // 29 months
            TargetParticipantsTrained = 160,
            Beneficiaries = JsonSerializer.Serialize(new[] { "Payoke vzw", "Danube University Krems" }),
            Countries = JsonSerializer.Serialize(JointEffortsCountries),
            Status = "running", // the demo shows the programme in phase 4, late 2013
        });

        (int Number, DateOnly Start, DateOnly End, string Status)[] plan =
        [
            (1, new(2011, 10, 20), new(2012, 2, 29), "completed"),
            (2, new(2012, 2, 1), new(2012, 9, 30), "completed"),
            (3, new(2012, 10, 1), new(2013, 3, 31), "completed"),
            (4, new(2013, 4, 1), new(2013, 12, 31), "inProgress"),
            (5, new(2014, 1, 1), new(2014, 3, 20), "notStarted"),
        ];
        var phaseIds = new Dictionary<int, long>();
        foreach (var (number, kind, name) in Phases.Standard)
        {
            var (_, start, end, status) = plan[number - 1];
            phaseIds[number] = db.ExecuteScalar<long>(
                """
                INSERT INTO phases (project_id, number, kind, name, planned_start, planned_end, status)
                VALUES (@projectId, @number, @kind, @name, @start, @end, @status) RETURNING id
                """,
                new { projectId, number, kind = kind.ToWire(), name, start, end, status }, transaction);
        }

        return new DemoContext(
            projectId,
            phaseIds,
            userIds["demo.coordinator"],
            userIds["demo.steering"],
            PilotCountries.ToDictionary(p => p.Country, p => userIds["demo.expert." + p.Country.ToLowerInvariant()]));
    }

    /// <summary>
    /// What the workflows would have done had the demo been entered through the API: a course whose report the steering group
    /// accepted is evaluated, and milestones linked to courses and meetings are completed by them.
    /// </summary>
    private static void FollowThrough(DbConnection db, DbTransaction transaction, DemoContext context)
    {
        db.Execute(
            """
            UPDATE courses SET status = 'evaluated'
            WHERE project_id = @ProjectId AND status = 'delivered'
              AND id IN (SELECT course_id FROM evaluation_reports WHERE state = 'accepted')
            """,
            new { context.ProjectId }, transaction);
        MilestoneLinks.SyncProgramme(db, transaction, context.ProjectId, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    private static long InsertProject(DbConnection db, DbTransaction transaction, object project) =>
        db.ExecuteScalar<long>(
            """
            INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, beneficiaries, countries, status)
            VALUES (@Code, @Title, @FundingProgramme, @StartDate, @EndDate, @TargetParticipantsTrained, @Beneficiaries, @Countries, @Status) RETURNING id
            """,
            project, transaction);
}
