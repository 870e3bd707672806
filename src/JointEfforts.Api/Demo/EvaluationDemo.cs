using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Demo;

/// <summary>Demo data: forms, codes, answers and evaluation reports (issue: evaluation).</summary>
public static class EvaluationDemo
{
    public static void Seed(SqliteConnection db, SqliteTransaction transaction, DemoContext context)
    {
    }
}
