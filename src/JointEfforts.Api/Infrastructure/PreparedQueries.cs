using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Statements that stay prepared on the connection (<see cref="Database"/> keeps connections open), for the reads and
/// writes made most often. SQLite spends longer preparing a statement with sub-selects than running it on one row
/// (about 25 of the 30 µs of <c>GET /api/courses/{id}</c>'s query), and preparing an insert compiles the programs of
/// every trigger it fires (issue 16). Rows are mapped by Dapper, as everywhere else.
/// <para>
/// Parameter values are bound as given, without Dapper's type handlers: pass numbers, strings or null.
/// Only constant SQL belongs here (each text is one prepared statement kept per connection), and each column must keep
/// one storage class (integer, real or text; NULL aside): the row parser is made from the first row ever read and kept.
/// </para>
/// </summary>
public static class PreparedQueries
{
    /// <summary>The first row mapped to <typeparamref name="T"/>, or default when there is none.</summary>
    public static Task<T?> QueryPreparedFirstOrDefaultAsync<T>(
        this DbConnection db, string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters) =>
        Run(db, sql, transaction, parameters, command =>
        {
            using var reader = command.ExecuteReader(CommandBehavior.SingleResult);
            return reader.Read() ? Parser<T>(db, sql, reader)(reader) : default;
        });

    /// <summary>Runs a statement that returns no rows (an insert, an update); returns the rows it changed.</summary>
    public static Task<int> ExecutePreparedAsync(
        this DbConnection db, string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters) =>
        Run(db, sql, transaction, parameters, command => command.ExecuteNonQuery());

    /// <summary>
    /// Binds the parameters to the connection's prepared command for <paramref name="sql"/> and runs it (Microsoft.Data.Sqlite
    /// runs synchronously in any case). A connection not from <see cref="Database"/> (a test's own) gets a command for this once.
    /// </summary>
    private static Task<TResult> Run<TResult>(
        DbConnection db, string sql, DbTransaction? transaction, (string Name, object? Value)[] parameters, Func<DbCommand, TResult> run)
    {
        var pooled = db as Database.PooledConnection;
        var command = pooled?.Prepared(sql) ?? db.CreateCommand();
        try
        {
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.Parameters.Contains(name) ? command.Parameters[name] : AddParameter(command, name);
                parameter.Value = value ?? DBNull.Value;
                if (pooled is null && value is null && sql.Contains(name + " IS NULL", StringComparison.Ordinal))
                {
                    // PostgreSQL cannot tell the type of an untyped null that is only tested (@x IS NULL OR col = @x): text,
                    // as every such optional filter here is. Elsewhere it takes the column's type.
                    parameter.DbType = DbType.String;
                }
            }

            return Task.FromResult(run(command));
        }
        finally
        {
            if (pooled is null)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Maps a row to <typeparamref name="T"/>: a one-column answer (a number, text, a flag) read as such, since
    /// Dapper's row parser casts wrongly for string; anything else by Dapper's row parser, kept with the statement.</summary>
    private static Func<DbDataReader, T> Parser<T>(DbConnection db, string sql, DbDataReader reader) =>
        Scalar<T>.Is ? db is Database.PooledConnection ? Scalar<T>.Read : Scalar<T>.ReadConverting
        : db is Database.PooledConnection pooled ? pooled.RowParser<T>(sql, reader)
        : reader.GetRowParser<T>();

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static class Scalar<T>
    {
        public static readonly bool Is = (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) is var type
            && (type.IsPrimitive || type == typeof(string) || type == typeof(decimal));

        public static T Read(System.Data.Common.DbDataReader reader) => reader.IsDBNull(0) ? default! : reader.GetFieldValue<T>(0);

        /// <summary>On another engine (PostgreSQL): the value converted when the column's type is not <typeparamref name="T"/>'s (an int for a long, an integer flag for a bool).</summary>
        public static T ReadConverting(System.Data.Common.DbDataReader reader)
        {
            if (reader.IsDBNull(0))
            {
                return default!;
            }

            var value = reader.GetValue(0);
            var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
            return value is T typed ? typed
                : type == typeof(bool) ? (T)(object)(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0)
                : (T)Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
