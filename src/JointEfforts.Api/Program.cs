using JointEfforts.Api.Audit;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Documents;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Api.Languages;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Pages;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;
using JointEfforts.Api.Reports;
using JointEfforts.Api.Users;

if (Backup.IsCommand(args))
{
    return Backup.Run(args);
}

var builder = WebApplication.CreateBuilder(Startup.Options(args));
builder.AddInfrastructure();
builder.AddPages();
builder.Services.AddAnswering();
builder.Services.AddSecurityHeaders();
builder.AddMail();
builder.AddLanguages();

var app = builder.Build();
app.UseInfrastructure();

app.MapHealth();
app.MapUsers();
app.MapProjects();
app.MapPhases();
app.MapMeetings();
app.MapCourses();
app.MapParticipants();
app.MapEvaluations();
app.MapReports();
app.MapDocuments();
app.MapLanguages();
app.MapAudit();
app.MapMail();
app.MapPages();
app.BuildEndpointsOnce();

app.PrepareDatabase();
app.SeedOnStart();
app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
