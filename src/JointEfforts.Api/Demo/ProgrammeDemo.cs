using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Demo;

/// <summary>Demo data: milestones, meetings, attendees and recommendations of the programme (issue: programme structure).</summary>
public static class ProgrammeDemo
{
    public static void Seed(SqliteConnection db, SqliteTransaction transaction, DemoContext context)
    {
    }
}
