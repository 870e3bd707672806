using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Queries that keep their prepared statement on the connection (<see cref="Database"/> keeps connections open), for
/// the reads every client makes most. SQLite spends longer preparing a statement with sub-selects than running it on
/// one row: about 25 of the 30 µs of <c>GET /api/courses/{id}</c>'s query (issue 16). Rows are mapped by Dapper, as
/// everywhere else.
/// <para>
/// Parameter values are bound as given, without Dapper's type handlers: pass numbers, strings or null.
/// Only constant SQL belongs here (each text is one prepared statement kept per connection).
/// </para>
/// </summary>
public static class PreparedQueries
{
    /// <summary>The first row mapped to <typeparamref name="T"/>, or default when there is none.</summary>
    public static Task<T?> QueryPreparedFirstOrDefaultAsync<T>(
        this SqliteConnection db, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var (command, owned) = CommandFor(db, sql, transaction, parameters);
        try
        {
            using var reader = command.ExecuteReader(CommandBehavior.SingleResult);
            if (!reader.Read())
            {
                return Task.FromResult<T?>(default);
            }

            return Task.FromResult(Scalar<T>.Is ? Scalar<T>.Read(reader) : reader.GetRowParser<T>()(reader));
        }
        finally
        {
            if (owned)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Runs a statement that returns no rows (an insert, an update); returns the rows it changed.</summary>
    public static Task<int> ExecutePreparedAsync(
        this SqliteConnection db, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var (command, owned) = CommandFor(db, sql, transaction, parameters);
        try
        {
            return Task.FromResult(command.ExecuteNonQuery());
        }
        finally
        {
            if (owned)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Every row mapped to <typeparamref name="T"/>.</summary>
    public static Task<List<T>> QueryPreparedAsync<T>(
        this SqliteConnection db, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var (command, owned) = CommandFor(db, sql, transaction, parameters);
        try
        {
            using var reader = command.ExecuteReader(CommandBehavior.SingleResult);
            var rows = new List<T>();
            if (reader.Read())
            {
                var parse = Scalar<T>.Is ? (Func<System.Data.Common.DbDataReader, T>)(r => Scalar<T>.Read((SqliteDataReader)r)!) : reader.GetRowParser<T>();
                do
                {
                    rows.Add(parse(reader));
                }
                while (reader.Read());
            }

            return Task.FromResult(rows);
        }
        finally
        {
            if (owned)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>A one-column answer (a number, text, a flag): read as such. Dapper's row parser casts wrongly for string.</summary>
    private static class Scalar<T>
    {
        public static readonly bool Is = (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) is var type
            && (type.IsPrimitive || type == typeof(string) || type == typeof(decimal));

        public static T? Read(SqliteDataReader reader) => reader.IsDBNull(0) ? default : reader.GetFieldValue<T>(0);
    }

    private static (SqliteCommand Command, bool Owned) CommandFor(
        SqliteConnection db, string sql, SqliteTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        // A connection of Database's pool keeps the command; any other (a test's own connection) gets a new one.
        var owned = db is not Database.PooledConnection;
        var command = db is Database.PooledConnection pooled ? pooled.Prepared(sql) : new SqliteCommand(sql, db);
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.Parameters.Contains(name) ? command.Parameters[name] : command.Parameters.Add(new SqliteParameter { ParameterName = name });
            parameter.Value = value ?? DBNull.Value;
        }

        return (command, owned);
    }
}
