using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Reliability;

/// <summary>Writers take turns in arrival order (issue 16), and every write of the API waits its turn.</summary>
public sealed class WriteQueueTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task WritersGetTheirTurnInTheOrderTheyAsked()
    {
        _app.CreateClient().Dispose();
        var database = _app.Services.GetRequiredService<Database>();
        await using var first = database.Open();
        // using: a failing assertion must not leave the turn taken for the next test on this kept host.
        using var holding = await first.BeginWriteAsync();

        var order = new List<int>();
        var writers = new List<Task>();
        for (var i = 0; i < 12; i++)
        {
            var writer = i;
            var connection = database.Open();
            writers.Add(Task.Run(async () =>
            {
                await using (connection)
                {
                    using var write = await connection.BeginWriteAsync();
                    lock (order)
                    {
                        order.Add(writer);
                    }

                    await connection.ExecuteAsync("UPDATE schema_migrations SET name = name WHERE 1 = 0", transaction: write.Transaction);
                    write.Commit();
                }
            }));
            // Each writer is queued before the next one starts.
            await WaitUntilAsync(() => QueueLength(database) == writer + 1);
        }

        Assert.Empty(order);
        holding.Commit();
        await Task.WhenAll(writers);
        Assert.Equal(Enumerable.Range(0, 12), order);
        holding.Dispose();
    }

    [Fact]
    public async Task ACommitLetsTheNextWriterInAndARollbackDoesToo()
    {
        _app.CreateClient().Dispose();
        var database = _app.Services.GetRequiredService<Database>();
        await using var a = database.Open();
        await using var b = database.Open();

        using var committed = await a.BeginWriteAsync();
        await a.ExecuteAsync("CREATE TABLE queue_probe (n INTEGER)", transaction: committed.Transaction);
        committed.Commit();
        // Committed but not yet disposed: the turn is free (reads after a commit do not hold writers up).
        using (var next = await b.BeginWriteAsync().WaitAsync(TimeSpan.FromSeconds(5)))
        {
            await b.ExecuteAsync("INSERT INTO queue_probe VALUES (1)", transaction: next.Transaction);
            // Disposed without a commit: rolled back, and the turn is free again.
        }

        committed.Dispose();
        using (var last = await a.BeginWriteAsync().WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(0, await a.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM queue_probe", transaction: last.Transaction));
        }
    }

    [Fact]
    public async Task AnEnrolmentWaitsForTheWriterAheadOfIt()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator);
        var participantId = await CourseGiven.ParticipantAsync(coordinator, "Queued participant");

        var database = _app.Services.GetRequiredService<Database>();
        await using var holder = database.Open();
        using var holding = await holder.BeginWriteAsync();
        var enrol = coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId });
        await WaitUntilAsync(() => QueueLength(database) == 1);
        Assert.False(enrol.IsCompleted);

        holding.Commit();
        var response = await enrol;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        holding.Dispose();
    }

    [Fact]
    public void NoHandlerBeginsATransactionWithoutWaitingItsTurn()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "JointEfforts.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("JointEfforts.sln not found above the test binaries");
        }

        var source = Path.Combine(root.FullName, "src", "JointEfforts.Api");
        // Start-up (migrations, the bootstrap admin, the demo seed) writes before the API takes requests.
        string[] startUp = ["Migrations.cs", "Startup.cs", "DemoSeed.cs", "WriteQueue.cs"];
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => !startUp.Contains(Path.GetFileName(file)))
            .Where(file => File.ReadAllText(file).Contains(".BeginTransaction(", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(offenders);
    }

    /// <summary>Writers waiting for their turn on this database (the one holding it not counted), on either engine.</summary>
    private static int QueueLength(Database database)
    {
        using var probe = database.Open();
        return WriteQueue.Waiting(probe);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the queue");
            await Task.Delay(5);
        }
    }

    public void Dispose() => _app.Dispose();
}
