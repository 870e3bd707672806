using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 23, attack 3: someone holding a copy of the database file and its <c>-wal</c>, taken after a classroom answered
/// (or a backup), and the slips with their codes. They walk the WAL commit by commit, pairing each code marked used with
/// the answers written in the same transaction, and they read the order of cells in the B-tree pages, pairing the n-th
/// code used with the n-th response to arrive. Neither may link a code to its answers.
/// </summary>
public sealed class AtRestTests : IDisposable
{
    private const int Classroom = 30;
    private readonly JointEffortsApp _app = new();
    private readonly string _copies = Directory.CreateTempSubdirectory("jointefforts-at-rest-").FullName;

    [SqliteOnly("reads the SQLite file, its WAL and a backup for codes at rest; on PostgreSQL the system columns are tested instead")]
    public async Task NeitherTheFilesNorABackupTakenAfterAClassroomAnsweredLinkACodeToItsAnswers()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: Classroom);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var classroom = _app.CreateAnonymousClient();
        var markerOfCode = new Dictionary<long, string>();
        var rankOfCode = new Dictionary<long, int>();
        var rankOfMarker = new Dictionary<string, int>();
        using (var db = _app.OpenDatabase())
        {
            for (var i = 0; i < Classroom; i++)
            {
                var marker = $"answer-marker-{i:D2}";
                var codeId = db.ExecuteScalar<long>("SELECT id FROM evaluation_codes WHERE code = @code", new { code = codes[i].Replace("-", "") });
                (markerOfCode[codeId], rankOfCode[codeId], rankOfMarker[marker]) = (marker, i, i);
            }
        }

        // The classroom answers one after the other: the arrival order is the slips' order, which the attacker noted. Each
        // answer carries an Idempotency-Key, so each leaves a receipt in idempotency_keys too.
        var rankOfReceipt = new Dictionary<string, int>();
        for (var i = 0; i < Classroom; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/evaluations")
            {
                Content = JsonContent.Create(new
                {
                    code = codes[i], purpose = "reaction", language = "en",
                    answers = new { relevance = (i % 5) + 1, comments = $"answer-marker-{i:D2}" },
                }),
            };
            request.Headers.Add("Idempotency-Key", $"answer-{i}");
            var answered = await classroom.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
            using var db = _app.OpenDatabase();
            var receipt = db.Query<string>("SELECT key FROM idempotency_keys WHERE scope = 'anonymous'").Single(k => !rankOfReceipt.ContainsKey(k));
            rankOfReceipt[receipt] = i;
        }

        // Right after the last answer, the WAL holds no transaction: each anonymous commit truncated it.
        var rightAfter = Copy(_app.DatabasePath, "right-after");
        Assert.Empty(WalLinks(SqliteFiles.Read(rightAfter, rightAfter + "-wal")));

        await SettledAsync();
        var copy = Copy(_app.DatabasePath, "live");
        var backup = Path.Combine(_copies, "backup.db");
        Backup.CopyTo(_app.Services.GetRequiredService<Database>(), backup);

        foreach (var (name, files) in new[] { ("live copy", SqliteFiles.Read(copy, copy + "-wal")), ("backup", SqliteFiles.Read(backup, backup + "-wal")) })
        {
            // 1. Walk the WAL commit by commit: a code marked used beside answers added in the same transaction.
            var links = WalLinks(files);
            Assert.True(links.Count(l => markerOfCode.TryGetValue(l.CodeId, out var m) && m == l.Marker) == 0,
                $"{name}: the WAL pairs {links.Count} codes with their answers");

            // 2. The order of cells in the pages: does a later arrival sit at a lower offset (where SQLite puts a new cell)?
            var uses = files.Leaves(files.RootOf("evaluation_code_uses"))
                .Where(c => c.Values is [long codeId, "reaction"] && rankOfCode.ContainsKey(codeId))
                .Select(c => (c.Page, c.Offset, Rank: rankOfCode[(long)c.Values[0]!])).ToList();
            var comments = files.Leaves(files.RootOf("evaluation_answers"))
                .Where(c => c.Values.Length >= 6 && c.Values[5] is string text && rankOfMarker.ContainsKey(text)).ToList();
            var rankOfResponse = comments.ToDictionary(c => (long)c.Values[1]!, c => rankOfMarker[(string)c.Values[5]!]);
            var responses = files.Leaves(files.RootOf("evaluation_responses"))
                .Where(c => c.RowId is { } id && rankOfResponse.ContainsKey(id))
                .Select(c => (c.Page, c.Offset, Rank: rankOfResponse[c.RowId!.Value])).ToList();
            var receipts = files.Leaves(files.RootOf("idempotency_keys"))
                .Where(c => c.Values.Length > 1 && c.Values[1] is string key && rankOfReceipt.ContainsKey(key))
                .Select(c => (c.Page, c.Offset, c.RowId, Rank: rankOfReceipt[(string)c.Values[1]!])).ToList();
            Assert.Equal(Classroom, receipts.Count);
            // Row ids in arrival order would line the receipts up as the participants answered.
            var byRowId = receipts.OrderBy(r => r.RowId).Select(r => r.Rank).ToList();
            var receiptsInRowIdOrder = byRowId.SelectMany((a, i) => byRowId.Skip(i + 1).Select(b => a < b)).Count(inOrder => inOrder);
            Assert.True(receiptsInRowIdOrder <= 0.75 * (Classroom * (Classroom - 1) / 2), $"{name}: {receiptsInRowIdOrder} pairs of receipts have row ids in arrival order");
            Assert.Equal(Classroom, uses.Count);
            Assert.Equal(Classroom, comments.Count);
            Assert.Equal(Classroom, responses.Count);
            foreach (var (what, cells) in new[]
            {
                ("code uses", uses), ("responses", responses), ("receipts", receipts.Select(r => (r.Page, r.Offset, r.Rank)).ToList()), ("comments", comments.Select(c => (c.Page, c.Offset, Rank: rankOfMarker[(string)c.Values[5]!])).ToList()),
            })
            {
                var (pairs, inArrivalOrder) = Concordance(cells);
                Assert.True(pairs >= Classroom, $"{name}, {what}: only {pairs} pairs of cells share a page");
                Assert.True(inArrivalOrder <= 0.75 * pairs, $"{name}, {what}: {inArrivalOrder} of {pairs} pairs of cells lie in arrival order");
            }
        }
    }

    /// <summary>For each commit, the codes it marked used and the comment markers it added, paired.</summary>
    private static List<(long CodeId, string Marker)> WalLinks(SqliteFiles files)
    {
        var links = new List<(long, string)>();
        var before = new Dictionary<uint, HashSet<string>>();
        HashSet<string> Known(uint page) => before.TryGetValue(page, out var known) ? known
            : before[page] = files.MainPages.TryGetValue(page, out var image) ? SqliteFiles.RecordsOf(image, page).Select(SqliteFiles.Key).ToHashSet() : [];
        foreach (var commit in files.Commits)
        {
            var added = new List<object?[]>();
            foreach (var (page, image) in commit.Frames)
            {
                var known = Known(page);
                var records = SqliteFiles.RecordsOf(image, page);
                added.AddRange(records.Where(r => !known.Contains(SqliteFiles.Key(r))));
                before[page] = records.Select(SqliteFiles.Key).ToHashSet();
            }

            var used = added.Where(r => r is [long, "reaction"]).Select(r => (long)r[0]!).ToList();
            var markers = added.SelectMany(r => r).OfType<string>().Where(t => t.StartsWith("answer-marker-", StringComparison.Ordinal)).Distinct().ToList();
            links.AddRange(used.SelectMany(u => markers.Select(m => (u, m))));
        }

        return links;
    }

    /// <summary>Pairs of cells on one page, and how many of them lie as SQLite lays new cells: the later one lower in the page.</summary>
    private static (int Pairs, int InArrivalOrder) Concordance(List<(uint Page, int Offset, int Rank)> cells)
    {
        var (pairs, concordant) = (0, 0);
        foreach (var page in cells.GroupBy(c => c.Page))
        {
            var list = page.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    pairs++;
                    if ((list[i].Offset > list[j].Offset) == (list[i].Rank < list[j].Rank))
                    {
                        concordant++;
                    }
                }
            }
        }

        return (pairs, concordant);
    }

    /// <summary>Waits (at most 30 s) until the server has rewritten its files after the answers: the files at rest.</summary>
    private async Task SettledAsync()
    {
        var scrubber = _app.Services.GetRequiredService<AtRestScrubber>();
        for (var waited = 0; waited < 30_000 && !scrubber.Settled; waited += 50)
        {
            await Task.Delay(50);
        }

        Assert.True(scrubber.Settled, "the files were not rewritten within 30 s of the last answer");
    }

    private string Copy(string database, string name)
    {
        var target = Path.Combine(_copies, name + ".db");
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (File.Exists(database + suffix))
            {
                using var source = new FileStream(database + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = File.Create(target + suffix);
                source.CopyTo(copy);
            }
        }

        return target;
    }

    public void Dispose()
    {
        _app.Dispose();
        Directory.Delete(_copies, recursive: true);
    }
}
