using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// A connection that counts what reaches SQLite: <see cref="Commands"/> (round trips through ADO.NET) and
/// <see cref="Statements"/>, every SQL statement the engine starts, as reported by SQLite's own trace hook.
/// The second is what makes the count honest: a batch of ten statements is ten, not one.
/// It owns the connection it wraps.
/// </summary>
public sealed class CountingConnection : DbConnection
{
    private readonly SqliteConnection _inner;
    private readonly List<string> _statements = [];

    public CountingConnection(SqliteConnection inner)
    {
        _inner = inner;
        SQLitePCL.raw.sqlite3_trace(inner.Handle, (_, sql) => _statements.Add(sql), null);
    }

    public int Commands { get; private set; }

    public int Statements => _statements.Count;

    public IReadOnlyList<string> StatementTexts => _statements;

    [AllowNull]
    public override string ConnectionString
    {
        get => _inner.ConnectionString;
        set => _inner.ConnectionString = value;
    }

    public override string Database => _inner.Database;

    public override string DataSource => _inner.DataSource;

    public override string ServerVersion => _inner.ServerVersion;

    public override ConnectionState State => _inner.State;

    public override void ChangeDatabase(string databaseName) => _inner.ChangeDatabase(databaseName);

    public override void Open() => _inner.Open();

    public override void Close() => _inner.Close();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => _inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new CountingCommand(this, _inner.CreateCommand());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The handle goes back to the pool: it must not keep calling into this object.
            SQLitePCL.raw.sqlite3_trace(_inner.Handle, (SQLitePCL.strdelegate_trace?)null, null);
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class CountingCommand(CountingConnection connection, SqliteCommand inner) : DbCommand
    {
        [AllowNull]
        public override string CommandText
        {
            get => inner.CommandText;
            set => inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => inner.CommandTimeout;
            set => inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => inner.CommandType;
            set => inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => inner.DesignTimeVisible;
            set => inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => inner.UpdatedRowSource;
            set => inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set { }
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => inner.Transaction;
            set => inner.Transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => inner.Cancel();

        public override int ExecuteNonQuery()
        {
            connection.Commands++;
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            connection.Commands++;
            return inner.ExecuteScalar();
        }

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            connection.Commands++;
            return inner.ExecuteReader(behavior);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
