using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// The pieces of SQL that SQLite and PostgreSQL write differently (issue 27), for the one connection a statement runs on:
/// <c>db.Sql().Now</c>. Columns are represented the same on both (dates and timestamps as ISO text, JSON as text), so
/// only functions and comparisons differ. The SQLite text of every piece is what the feature code said before, byte for
/// byte, so its prepared statements and plans are unchanged.
/// <para>
/// A statement is built once per dialect, never per request: a <see cref="DialectSql"/> (<c>static readonly</c>) holds both
/// texts and <c>db.Sql(statement)</c> picks one by the connection's type.
/// </para>
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(postgres: false);
    public static readonly SqlDialect Postgres = new(postgres: true);

    private SqlDialect(bool postgres) => IsPostgres = postgres;

    public bool IsPostgres { get; }

    /// <summary>Now as timestamp text, UTC ISO 8601 with milliseconds and 'Z' (what every *_at column holds).</summary>
    public string Now => IsPostgres ? "je_now()" : "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

    /// <summary>Today (UTC) as date text 'YYYY-MM-DD'.</summary>
    public string Today => IsPostgres ? "left(je_now(), 10)" : "date('now')";

    /// <summary>The smaller of two values (SQLite's scalar min(a, b)).</summary>
    public string Least(string a, string b) => IsPostgres ? $"LEAST({a}, {b})" : $"min({a}, {b})";

    /// <summary>The greater of two values (SQLite's scalar max(a, b)).</summary>
    public string Greatest(string a, string b) => IsPostgres ? $"GREATEST({a}, {b})" : $"max({a}, {b})";

    /// <summary>The text of member <paramref name="key"/> (a constant name) of the JSON object text <paramref name="json"/>, null when absent.</summary>
    public string JsonText(string json, string key) =>
        IsPostgres ? $"(({json})::jsonb ->> '{key}')" : $"json_extract({json}, '$.{key}')";

    /// <summary>The text of member <paramref name="keyExpression"/> (an SQL expression) of the JSON object text <paramref name="json"/>.</summary>
    public string JsonTextAt(string json, string keyExpression) =>
        IsPostgres ? $"(({json})::jsonb ->> ({keyExpression}))" : $"json_extract({json}, '$.' || {keyExpression})";

    /// <summary>A sub-select of the integers of the JSON array text <paramref name="json"/> (a parameter such as @ids).</summary>
    public string JsonIntegers(string json) =>
        IsPostgres ? $"SELECT value::bigint FROM jsonb_array_elements_text(({json})::jsonb) AS j(value)" : $"SELECT value FROM json_each({json})";

    /// <summary>A sub-select of the strings of the JSON array text <paramref name="json"/>.</summary>
    public string JsonStrings(string json) =>
        IsPostgres ? $"SELECT value FROM jsonb_array_elements_text(({json})::jsonb) AS j(value)" : $"SELECT value FROM json_each({json})";

    /// <summary>Case-insensitive (ASCII and beyond on PostgreSQL) equality of two text expressions.</summary>
    public string EqualsIgnoreCase(string column, string value) =>
        IsPostgres ? $"lower({column}) = lower({value})" : $"{column} = {value} COLLATE NOCASE";

    /// <summary>Case-insensitive LIKE with '\' as the escape character.</summary>
    public string LikeIgnoreCase(string column, string pattern) =>
        IsPostgres ? $"{column} ILIKE {pattern} ESCAPE '\\'" : $"{column} LIKE {pattern} ESCAPE '\\'";

    /// <summary>An ORDER BY term sorting text case-insensitively.</summary>
    public string OrderIgnoreCase(string column) => IsPostgres ? $"lower({column})" : $"{column} COLLATE NOCASE";

    /// <summary>A double-precision cast (SQLite's REAL; PostgreSQL's REAL would be single precision).</summary>
    public string Double(string expression) =>
        IsPostgres ? $"CAST({expression} AS double precision)" : $"CAST({expression} AS REAL)";

    /// <summary>A cast to an integer that truncates toward zero, as SQLite's CAST(x AS INTEGER) does (PostgreSQL's rounds).</summary>
    public string Truncate(string expression) =>
        IsPostgres ? $"CAST(trunc({expression}) AS bigint)" : $"CAST({expression} AS INTEGER)";
}

/// <summary>One statement written for both engines, built once for each (see <see cref="SqlDialect"/>).</summary>
public sealed class DialectSql
{
    public DialectSql(Func<SqlDialect, string> build)
        : this(build(SqlDialect.Sqlite), build(SqlDialect.Postgres))
    {
    }

    /// <summary>Two texts written out, where the engines differ too much for pieces (a JSON body built in SQL).</summary>
    /// <remarks>The PostgreSQL text gets the mechanical translations too (<see cref="SqlDialectExtensions.TranslateMechanically"/>).</remarks>
    public DialectSql(string sqlite, string postgres)
    {
        Sqlite = sqlite;
        Postgres = SqlDialectExtensions.TranslateMechanically(postgres);
    }

    public string Sqlite { get; }

    public string Postgres { get; }

    public string For(DbConnection db) => db is NpgsqlConnection ? Postgres : Sqlite;

    public string For(SqlDialect dialect) => dialect.IsPostgres ? Postgres : Sqlite;

    public override string ToString() => Sqlite;
}

public static partial class SqlDialectExtensions
{
    /// <summary>The dialect of this connection's engine.</summary>
    public static SqlDialect Sql(this DbConnection db) => db is NpgsqlConnection ? SqlDialect.Postgres : SqlDialect.Sqlite;

    /// <summary>The text of <paramref name="statement"/> for this connection's engine.</summary>
    public static string Sql(this DbConnection db, DialectSql statement) => statement.For(db);

    public static bool IsPostgres(this DbConnection db) => db is NpgsqlConnection;

    private static readonly ConcurrentDictionary<string, string> PostgresTexts = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="sqlite"/> as it is on SQLite (nothing is built: the same string object), and on PostgreSQL its
    /// translation, made once per text and kept: only the mechanical replacements of <see cref="TranslateMechanically"/>,
    /// for statements whose only SQLite-ism is the clock. Anything structural is written with <see cref="DialectSql"/>.
    /// </summary>
    public static string Sql(this DbConnection db, string sqlite) =>
        db is NpgsqlConnection ? PostgresTexts.GetOrAdd(sqlite, TranslateMechanically) : sqlite;

    /// <summary>
    /// The PostgreSQL text of a statement written for SQLite, for the SQLite idioms that have one exact equivalent (made
    /// once per text, see <see cref="Sql(DbConnection, string)"/>):
    /// <list type="bullet">
    /// <item>strftime('%Y-%m-%dT%H:%M:%fZ','now') → je_now(); lower(hex(randomblob(16))) → 32 hex digits of gen_random_uuid();</item>
    /// <item>TOTAL(x) → COALESCE(SUM(x), 0.0); SUM or AVG of a comparison → of CAST((comparison) AS integer) (SQLite's true is 1);</item>
    /// <item>json_extract(t.col, '$.key') → (CAST(t.col AS jsonb) ->> 'key'); min(substr(..), b) → LEAST(substr(..), b);
    /// the scalar MAX(0, x) → GREATEST(0, x);</item>
    /// <item>CAST(x AS REAL) → double precision (PostgreSQL's real is single precision); t.col COLLATE NOCASE (an ORDER BY
    /// term) → lower(t.col); INDEXED BY hints dropped.</item>
    /// </list>
    /// Everything else must already be portable (or be a <see cref="DialectSql"/>).
    /// </summary>
    public static string TranslateMechanically(string sqlite)
    {
        var sql = sqlite.Replace(SqlDialect.Sqlite.Now, SqlDialect.Postgres.Now, StringComparison.Ordinal)
            .Replace("lower(hex(randomblob(16)))", "replace(gen_random_uuid()::text, '-', '')", StringComparison.Ordinal)
            .Replace(" AS REAL)", " AS double precision)", StringComparison.Ordinal);
        sql = Total().Replace(sql, "COALESCE(SUM($1), 0.0)");
        sql = SumOfComparison().Replace(sql, "$1(CAST(($2) AS integer))");
        sql = JsonExtract().Replace(sql, "(CAST($1 AS jsonb) ->> '$2')");
        sql = MinOfSubstr().Replace(sql, "LEAST(substr(");
        sql = MaxOfZero().Replace(sql, "GREATEST(0, ");
        sql = IndexedBy().Replace(sql, "");
        sql = OrderNoCase().Replace(sql, "lower($1)");
        return sql;
    }

    [GeneratedRegex(@"\bTOTAL\(([^()]*)\)")]
    private static partial Regex Total();

    [GeneratedRegex(@"\b(SUM|AVG)\(((?:[a-z_]+\.)?[a-z_]+ (?:=|<>|<=|>=|<|>|IS NOT NULL|IS NULL)[^()]*?)\)", RegexOptions.IgnoreCase)]
    private static partial Regex SumOfComparison();

    [GeneratedRegex(@"json_extract\(((?:[a-z_]+\.)?[a-z_]+), '\$\.([A-Za-z_]+)'\)")]
    private static partial Regex JsonExtract();

    [GeneratedRegex(@"\bmin\(substr\(")]
    private static partial Regex MinOfSubstr();

    [GeneratedRegex(@"\bMAX\(0, ", RegexOptions.IgnoreCase)]
    private static partial Regex MaxOfZero();

    [GeneratedRegex(@"INDEXED BY [a-z_]+ ")]
    private static partial Regex IndexedBy();

    [GeneratedRegex(@"((?:[a-z_]+\.)?[a-z_]+) COLLATE NOCASE(?=\s*(?:,|$|\bASC\b|\bDESC\b|;))", RegexOptions.Multiline)]
    private static partial Regex OrderNoCase();
}
