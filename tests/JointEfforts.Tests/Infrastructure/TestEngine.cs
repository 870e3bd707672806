namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// The database engine the suite runs on (issue 27), chosen by the environment as ./test.sh sets it:
/// <c>JE_TEST_DATABASE=postgres</c> with <c>JE_TEST_POSTGRES</c>, the Npgsql connection string of a server where the
/// tests' role may CREATE DATABASE (tests/postgres.sh starts a throwaway one); SQLite files otherwise (the default).
/// </summary>
public static class TestEngine
{
    public const string Variable = "JE_TEST_DATABASE";
    public const string ServerVariable = "JE_TEST_POSTGRES";

    public static bool IsPostgres { get; } = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is "postgres" or "postgresql";

    public static string Name => IsPostgres ? "postgres" : "sqlite";

    /// <summary>The server's connection string (its maintenance database); the tests make databases of their own on it.</summary>
    public static string PostgresServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException(
            $"{Variable}=postgres needs {ServerVariable}, the Npgsql connection string of a server where the tests may CREATE DATABASE: " +
            "eval \"$(tests/postgres.sh start)\" starts a throwaway one.");
}

/// <summary>A test that only makes sense on SQLite (its files, WAL, PRAGMAs, its backup route): skipped on PostgreSQL, saying why.</summary>
public sealed class SqliteOnlyAttribute : FactAttribute
{
    public SqliteOnlyAttribute(string reason)
    {
        Reason = reason;
        if (TestEngine.IsPostgres)
        {
            Skip = "SQLite only: " + reason;
        }
    }

    public string Reason { get; }
}

/// <inheritdoc cref="SqliteOnlyAttribute"/>
public sealed class SqliteOnlyTheoryAttribute : TheoryAttribute
{
    public SqliteOnlyTheoryAttribute(string reason)
    {
        Reason = reason;
        if (TestEngine.IsPostgres)
        {
            Skip = "SQLite only: " + reason;
        }
    }

    public string Reason { get; }
}

/// <summary>A test that only makes sense on PostgreSQL (several API processes on one server, system columns): skipped on SQLite.</summary>
public sealed class PostgresOnlyAttribute : FactAttribute
{
    public PostgresOnlyAttribute(string reason)
    {
        Reason = reason;
        if (!TestEngine.IsPostgres)
        {
            Skip = "PostgreSQL only (JE_TEST_DATABASE=postgres): " + reason;
        }
    }

    public string Reason { get; }
}

/// <inheritdoc cref="PostgresOnlyAttribute"/>
public sealed class PostgresOnlyTheoryAttribute : TheoryAttribute
{
    public PostgresOnlyTheoryAttribute(string reason)
    {
        Reason = reason;
        if (!TestEngine.IsPostgres)
        {
            Skip = "PostgreSQL only (JE_TEST_DATABASE=postgres): " + reason;
        }
    }

    public string Reason { get; }
}
