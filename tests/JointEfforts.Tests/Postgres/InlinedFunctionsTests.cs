using Dapper;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// The SQL helper that every JSON-writing read on PostgreSQL calls once per value, <c>je_json()</c>, must be inlined into
/// the statement (sql/postgres/0073): as a function call of its own it made the phases read ten times slower
/// (docs/benchmarks.md). PostgreSQL inlines a SQL function only when its declared volatility is no stricter than its body's.
/// </summary>
public sealed class InlinedFunctionsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [PostgresOnly("PostgreSQL's inlining of SQL functions")]
    public void JeJsonIsInlinedIntoTheStatementThatCallsIt()
    {
        using var db = _app.OpenDatabase();
        var plan = string.Join('\n', db.Query<string>(
            "EXPLAIN (VERBOSE, COSTS OFF) SELECT je_json(p.name) || je_json(p.planned_start) || je_json(p.number) FROM phases p"));
        Assert.Contains("to_json", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("je_json", plan, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
