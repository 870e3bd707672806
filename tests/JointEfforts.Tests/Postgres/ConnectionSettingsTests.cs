using JointEfforts.Api.Infrastructure;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// What the API makes of a PostgreSQL connection string (issue 27, the load benchmark): statements prepared automatically and
/// sessions kept when the operator says nothing, the operator's word when they do. NpgsqlConnectionStringBuilder.ContainsKey
/// answers true for every keyword it knows, which once left auto-preparation off whatever the string said.
/// </summary>
public sealed class ConnectionSettingsTests
{
    [Theory]
    [InlineData("Host=/tmp;Database=je", Database.DefaultMaxAutoPrepare, true)]
    [InlineData("Host=/tmp;Database=je;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=/tmp;Database=je;maxautoprepare=20;No Reset On Close=false", 20, false)]
    [InlineData("Host=/tmp;Database=je;NoResetOnClose=false", Database.DefaultMaxAutoPrepare, false)]
    public void TheDefaultsApplyOnlyToWhatTheConnectionStringLeavesUnsaid(string connectionString, int maxAutoPrepare, bool noResetOnClose)
    {
        // Building the data source does not connect: no server is needed.
        using var database = new Database(connectionString, engine: DatabaseEngine.Postgres);
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal((maxAutoPrepare, noResetOnClose), (settings.MaxAutoPrepare, settings.NoResetOnClose));
    }
}
