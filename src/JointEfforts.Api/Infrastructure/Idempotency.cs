using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the same key with the same body replays the first answer; with a
/// different body it is a 422; a second request while the first still runs gets a 409. Keys belong to
/// the caller (the token's user) and are kept 24 hours. 5xx answers are not kept, so a retry after a
/// server error runs again.
/// Anonymous callers (participants answering with a code) share one scope and leave nothing that ties a
/// code, an answer or an address to a time (API.md, "Anonymity of evaluations"): no client IP; the body
/// (code and answers), the key and the path are kept only as HMACs under a key that lives in this process's memory, so a
/// reader of the database cannot test guesses of what a code's holder answered; and the row is dated
/// to the next UTC midnight rather than timed (kept 24 to 48 hours), under a random row id (its place in the table
/// says nothing of its arrival; <see cref="AtRestScrubber"/> rewrites the pages after anonymous writes). After a restart an anonymous
/// replay within the window answers 422; the code is then used (409), which the participant is told.
/// <para>
/// Several instances (issue 27): the claim is a row, so two instances cannot both run one key. A claim whose instance was
/// killed before answering would say "in progress" for a day; a caller's claim older than <see cref="Lease"/> without an
/// answer is therefore taken over by the next request with its key (which then runs it: a request that ran longer than
/// the lease could run twice, and none of this API's does). Anonymous claims need no lease: their key is an HMAC under a
/// key of the instance that claimed it, so no other instance (nor the same one restarted) ever meets the claim again.
/// </para>
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next, Database database, TimeProvider time, AtRestScrubber scrubber, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long a caller's claim without an answer holds off another request with its key (see the remarks).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.GetEndpoint() is null)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await WriteProblem(context, problems, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"The Idempotency-Key header must be 1 to {MaxKeyLength} characters.");
            return;
        }

        var caller = Caller.From(context.User);
        var scope = caller is not null ? $"user:{caller.UserId}" : AnonymousScope;
        context.Request.EnableBuffering();
        var requestHash = await HashBodyAsync(context, caller is null ? AnonymousHashKey : null);

        var method = context.Request.Method;
        var path = context.Request.Path + context.Request.QueryString.ToString();
        if (caller is null)
        {
            // A key or a path (a participant page's /e/{code}) may hold a code: kept only as HMACs, compared as such.
            key = Hmac(key);
            path = Hmac(path);
        }

        await using (var connection = database.Open())
        {
            var now = time.GetUtcNow().UtcDateTime;
            // No timestamp is at or before "": an anonymous claim has no lease (see the remarks).
            var leaseCutoff = caller is null ? "" : Database.Timestamp(now - Lease);
            // A caller's claim is timed by this app's clock (as the cutoffs are); an anonymous one is only dated.
            var createdAt = Database.Timestamp(caller is not null ? now : NextMidnight(time));
            var existing = await connection.QuerySingleOrDefaultAsync<StoredResponse>(
                """
                SELECT request_hash AS RequestHash, method AS Method, path AS Path, status_code AS StatusCode,
                       content_type AS ContentType, location AS Location, etag AS ETag, body AS Body
                FROM idempotency_keys WHERE scope = @scope AND key = @key AND created_at > @cutoff
                  AND NOT (status_code IS NULL AND created_at <= @leaseCutoff)
                """,
                new { scope, key, cutoff = Database.Timestamp(now - Retention), leaseCutoff });

            if (existing is not null)
            {
                await AnswerFromStore(context, problems, existing, requestHash, method, path);
                return;
            }

            // Claim the key before running, so two concurrent requests with it cannot both do the work; a stale claim (a
            // killed instance's) is taken over by one of them only: the first takeover renews created_at.
            var claimed = await connection.ExecuteAsync(
                connection.Sql(ClaimSql),
                new
                {
                    // An anonymous record (a participant's receipt, with a test's score) gets a random row id, as responses do:
                    // row ids in arrival order would line the receipts up in the order the participants answered.
                    rowId = caller is null ? (long?)RandomRowId() : null,
                    scope, key, method, path, requestHash, createdAt,
                    cutoff = Database.Timestamp(now - Retention),
                    leaseCutoff,
                });
            if (claimed == 0)
            {
                await WriteProblem(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                    "A request with this Idempotency-Key is still being processed; retry in a moment.");
                return;
            }
        }

        var originalBody = context.Response.Body;
        await using var captured = new MemoryStream();
        context.Response.Body = captured;
        var stored = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                await StoreAsync(scope, key, context, captured.ToArray(), anonymous: caller is null);
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (!stored)
            {
                await ReleaseAsync(scope, key);
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(originalBody, context.RequestAborted);
    }

    private async Task AnswerFromStore(HttpContext context, IProblemDetailsService problems, StoredResponse existing,
        string requestHash, string method, string path)
    {
        if (existing.RequestHash != requestHash || existing.Method != method || existing.Path != path)
        {
            await WriteProblem(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request. Use a new key for a new request.");
            return;
        }

        if (existing.StatusCode is not { } status)
        {
            await WriteProblem(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry in a moment.");
            return;
        }

        context.Response.StatusCode = status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.ContentType is not null)
        {
            context.Response.ContentType = existing.ContentType;
        }

        if (existing.Location is not null)
        {
            context.Response.Headers.Location = existing.Location;
        }

        if (existing.ETag is not null)
        {
            context.Response.Headers.ETag = existing.ETag;
        }

        if (existing.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task StoreAsync(string scope, string key, HttpContext context, byte[] body, bool anonymous)
    {
        await using var connection = database.Open();
        await connection.ExecuteAsync(
            """
            UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, location = @location, etag = @etag, body = @body
            WHERE scope = @scope AND key = @key
            """,
            new
            {
                scope,
                key,
                status = context.Response.StatusCode,
                contentType = context.Response.ContentType,
                location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                etag = context.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                body,
            });
        if (anonymous)
        {
            scrubber.Committed(connection); // the receipt leaves the WAL now, and its page is rewritten once writes pause
        }
    }

    private async Task ReleaseAsync(string scope, string key)
    {
        try
        {
            await using var connection = database.Open();
            await connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND status_code IS NULL", new { scope, key });
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Could not release Idempotency-Key {Key}; it expires in 24 hours", key);
        }
    }

    /// <summary>
    /// Claims a key (see the caller). SQLite gives an anonymous record a random rowid; PostgreSQL has no row id to
    /// choose: there the physical order of anonymous rows is shuffled by je_scrub_anonymous() (sql/postgres/0071).
    /// </summary>
    private static readonly DialectSql ClaimSql = new(dialect =>
        $"""
        INSERT INTO idempotency_keys ({(dialect.IsPostgres ? "" : "rowid, ")}scope, key, method, path, request_hash, created_at)
        VALUES ({(dialect.IsPostgres ? "" : "@rowId, ")}@scope, @key, @method, @path, @requestHash, @createdAt)
        ON CONFLICT (scope, key) DO UPDATE SET
            method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
            status_code = NULL, content_type = NULL, location = NULL, etag = NULL, body = NULL,
            created_at = excluded.created_at
        WHERE idempotency_keys.created_at <= @cutoff
           OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at <= @leaseCutoff)
        """);

    /// <summary>
    /// The erasure scrub: every kept body that is JSON and holds one of the values in a string anywhere, or (on the
    /// participants' paths) the participant's id as an integer "id"/"participantId" at any depth, becomes the tombstone.
    /// PostgreSQL 15 has no json_valid: a body is read as JSON only when its content type says JSON (every JSON body
    /// this app keeps is typed so), inside a CASE so the cast never meets another body; jsonb_path_query('strict $.**')
    /// walks every value as json_tree does.
    /// </summary>
    private static readonly DialectSql ForgetSql = new(
        """
        UPDATE idempotency_keys
        SET status_code = 409, content_type = 'application/problem+json', location = NULL, etag = NULL, body = CAST(@tombstone AS BLOB)
        WHERE body IS NOT NULL AND json_valid(CAST(body AS TEXT))
          AND (EXISTS (SELECT 1 FROM json_tree(CAST(body AS TEXT)) t, json_each(@values) v
                       WHERE t.type = 'text' AND instr(t.atom, v.value) > 0)
               OR (path LIKE '/api/participants%' AND EXISTS (
                       SELECT 1 FROM json_tree(CAST(body AS TEXT)) t
                       WHERE t.key IN ('id', 'participantId') AND t.type = 'integer' AND t.atom = @participantId)))
        """,
        """
        UPDATE idempotency_keys AS k
        SET status_code = 409, content_type = 'application/problem+json', location = NULL, etag = NULL, body = convert_to(@tombstone, 'UTF8')
        FROM (SELECT scope, key,
                     CASE WHEN content_type LIKE '%json%' AND length(body) > 0 THEN convert_from(body, 'UTF8')::jsonb END AS doc,
                     path
              FROM idempotency_keys WHERE body IS NOT NULL AND content_type LIKE '%json%' AND length(body) > 0) AS j
        WHERE k.scope = j.scope AND k.key = j.key AND j.doc IS NOT NULL
          AND (EXISTS (SELECT 1 FROM jsonb_path_query(j.doc, 'strict $.** ? (@.type() == "string")') AS t(v),
                            jsonb_array_elements_text(CAST(@values AS jsonb)) AS x(value)
                       WHERE strpos(t.v #>> '{}', x.value) > 0)
               OR (j.path LIKE '/api/participants%' AND EXISTS (
                       SELECT 1 FROM jsonb_path_query(j.doc, 'strict $.** ? (@.type() == "object")') AS t(v), jsonb_each(t.v) AS e(key, value)
                       WHERE e.key IN ('id', 'participantId')
                         AND jsonb_typeof(e.value) = 'number' AND e.value = to_jsonb(CAST(@participantId AS bigint)))))
        """);

    /// <summary>The scope of every caller without a token: no address, no code.</summary>
    public const string AnonymousScope = "anonymous";

    /// <summary>The HMAC key of anonymous request hashes: random per process, never stored.</summary>
    private static readonly byte[] AnonymousHashKey = RandomNumberGenerator.GetBytes(32);

    private static string Hmac(string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(AnonymousHashKey, System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>A random row id in 1..2^62: where an anonymous record sits says nothing of when it came.</summary>
    private static long RandomRowId() => (long)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2) + 1;

    private static DateTime NextMidnight(TimeProvider time) => time.GetUtcNow().UtcDateTime.Date.AddDays(1);

    /// <summary>
    /// Forgets what kept answers hold of a participant (name, e-mail): the creation of the participant, an import or
    /// any answer that showed them. Erasure calls it. The key itself stays, answering 409 from now on: deleting it
    /// would let a client's retry with the same key and body create the erased person again.
    /// </summary>
    public static Task<int> ForgetParticipantAsync(
        DbConnection db, DbTransaction transaction, int participantId, IEnumerable<string?> personalValues) =>
        db.ExecuteAsync(
            db.Sql(ForgetSql),
            new
            {
                participantId,
                values = System.Text.Json.JsonSerializer.Serialize(personalValues.Where(v => !string.IsNullOrWhiteSpace(v)).ToList()),
                tombstone = """
                    {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.10","title":"Conflict","status":409,"detail":"What this Idempotency-Key created or showed was a participant who has since been erased; it is not done again with this key."}
                    """,
            },
            transaction);

    private static async Task<string> HashBodyAsync(HttpContext context, byte[]? hmacKey)
    {
        context.Request.Body.Position = 0;
        using var sha = hmacKey is null
            ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256)
            : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, hmacKey);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        context.Request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task WriteProblem(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private sealed record StoredResponse
    {
        public required string RequestHash { get; init; }

        public required string Method { get; init; }

        public required string Path { get; init; }

        public int? StatusCode { get; init; }

        public string? ContentType { get; init; }

        public string? Location { get; init; }

        public string? ETag { get; init; }

        public byte[]? Body { get; init; }
    }
}

/// <summary>Forgets Idempotency-Keys older than the retention, once an hour.</summary>
public sealed class IdempotencyKeyCleanup(Database database, TimeProvider time, ILogger<IdempotencyKeyCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await using var connection = database.Open();
                var cutoff = Database.Timestamp(time.GetUtcNow().UtcDateTime - IdempotencyMiddleware.Retention - TimeSpan.FromHours(1));
                await connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < @cutoff", new { cutoff });
            }
            catch (DbException ex)
            {
                logger.LogWarning(ex, "Idempotency-Key cleanup failed; will retry in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
