using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Demo;

/// <summary>Demo data: the six pilot courses, their sessions, participants, enrolments and attendance (issue: pilot courses).</summary>
public static class CourseDemo
{
    public static void Seed(SqliteConnection db, SqliteTransaction transaction, DemoContext context)
    {
    }
}
