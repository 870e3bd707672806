using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Users;

public static class UsersApi
{
    private const string SelectUser = """
        SELECT id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role,
               country_code AS CountryCode, email AS Email, password_hash IS NOT NULL AS HasPassword,
               created_at AS CreatedAt, version AS Version
        FROM users
        """;

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users")
            .WithTags("Users and tokens")
            .RequireAuthorization(Policies.Admin)
            .WithStandardProblems()
            .WithETags();

        group.MapPost("/", CreateUser).WithName("CreateUser")
            .WithSummary("Create a user (admin). countryCode is required for, and only for, a countryExpert.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        // Coordinators need a country expert's user id for a course: they may list those, and only those.
        app.MapGroup("/api/users")
            .WithTags("Users and tokens")
            .RequireAuthorization(Policies.Coordinator)
            .WithStandardProblems()
            .MapGet("/", ListUsers).WithName("ListUsers")
            .WithSummary("List users, by id (admin). A coordinator may list the country experts only: ?role=countryExpert (read-only, no tokens).");
        group.MapGet("/{id:int}", GetUser).WithName("GetUser").WithSummary("Read a user (admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:int}", UpdateUser).WithName("UpdateUser")
            .WithSummary("Change a user's names, role or country (admin). Honours If-Match; the user's cached tokens are re-read at once." + Json.PutReplaces)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{id:int}", DeleteUser).WithName("DeleteUser")
            .WithSummary("Delete a user and revoke all their tokens at once (admin). You cannot delete yourself.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapPost("/{id:int}/tokens", CreateToken).WithName("CreateToken")
            .WithSummary("Issue a token for a user (admin). The token is shown in this answer only; the server keeps its hash.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/tokens", ListTokens).WithName("ListTokens")
            .WithSummary("List a user's tokens without their secrets (admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/sign-in-link", CreateSignInLink).WithName("CreateSignInLink")
            .WithSummary("Create a one-time link with which the user sets their workspace password: the first one, or a new one after a reset (admin).")
            .WithDescription("The link is `{PublicBaseUrl}/set-password?token=...` and works once, for `expiresInDays` (7 when left out, at most 30). " +
                             "It is shown in this answer only (the server keeps a hash of its token); a new link replaces the user's earlier unused ones. " +
                             "Setting a password through it ends the user's other page sessions and lifts a lockout. " +
                             "When e-mail is on and the user has an `email`, the link is also mailed to them (outbox kind `signInLink`, written with the link).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:int}/tokens/{tokenId:int}", RevokeToken).WithName("RevokeToken")
            .WithSummary("Revoke a token: refused from the next request on (admin). Revoking twice is harmless (204).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateUser(
        UserRequest request, DbConnection db)
    {
        var id = await db.ExecuteScalarAsync<long?>(
            $"""
            INSERT INTO users (user_name, display_name, role, country_code, email)
            SELECT @UserName, @DisplayName, @Role, @CountryCode, @Email
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE {db.Sql().EqualsIgnoreCase("user_name", "@UserName")} AND deleted_at IS NULL)
            RETURNING id
            """,
            new { request.UserName, request.DisplayName, Role = request.Role!.Value.ToWire(), request.CountryCode, request.Email });
        if (id is null)
        {
            return Problems.Conflict($"The user name '{request.UserName}' is taken.");
        }

        var user = await db.QuerySingleAsync<UserDto>(SelectUser + " WHERE id = @id", new { id });
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    private static async Task<Results<Ok<Paged<UserDto>>, ProblemHttpResult>> ListUsers(
        [AsParameters] PageRequest paging, [AsParameters] UserQuery query, Caller caller, DbConnection db)
    {
        if (caller.Role != Role.Admin && query.Role?.Value != Role.CountryExpert)
        {
            return Problems.Forbidden(
                "This needs the role admin. A coordinator may list the country experts only: GET /api/users?role=countryExpert.");
        }

        const string where = " WHERE deleted_at IS NULL AND (@role IS NULL OR role = @role)";
        var parameters = new { role = query.Role.ToWire(), limit = paging.Size, offset = paging.Offset };
        using var results = await db.QueryMultipleAsync(
            SelectUser + where + " ORDER BY id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM users" + where, parameters);
        var items = await results.ReadAsync<UserDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<UserDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUser(int id, DbConnection db)
    {
        var user = await db.QuerySingleOrDefaultAsync<UserDto>(SelectUser + " WHERE id = @id AND deleted_at IS NULL", new { id });
        return user is null ? Problems.NotFound("User", id) : TypedResults.Ok(user);
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        int id, UserRequest request, IfMatch ifMatch, DbConnection db, TokenCache tokens)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<long?>(
            "SELECT version FROM users WHERE id = @id AND deleted_at IS NULL", new { id }, transaction);
        if (current is not { } version)
        {
            return Problems.NotFound("User", id);
        }

        if (!ifMatch.Matches(version))
        {
            return Problems.PreconditionFailed();
        }

        var taken = await db.ExecuteScalarAsync<bool>(
            $"SELECT EXISTS (SELECT 1 FROM users WHERE {db.Sql().EqualsIgnoreCase("user_name", "@UserName")} AND deleted_at IS NULL AND id <> @id)",
            new { request.UserName, id }, transaction);
        if (taken)
        {
            return Problems.Conflict($"The user name '{request.UserName}' is taken.");
        }

        await db.ExecuteAsync(
            """
            UPDATE users SET user_name = @UserName, display_name = @DisplayName, role = @Role, country_code = @CountryCode,
                             email = @Email, version = version + 1
            WHERE id = @id
            """,
            new { id, request.UserName, request.DisplayName, Role = request.Role!.Value.ToWire(), request.CountryCode, request.Email }, transaction);
        var user = await db.QuerySingleAsync<UserDto>(SelectUser + " WHERE id = @id", new { id }, transaction);
        write.Commit();
        tokens.EvictUser(id);
        return TypedResults.Ok(user);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(
        int id, IfMatch ifMatch, Caller caller, DbConnection db, TokenCache tokens)
    {
        if (id == caller.UserId)
        {
            return Problems.Conflict("You cannot delete yourself; ask another admin.");
        }

        using var write = await db.BeginWriteAsync();

        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<long?>(
            "SELECT version FROM users WHERE id = @id AND deleted_at IS NULL", new { id }, transaction);
        if (current is not { } version)
        {
            return Problems.NotFound("User", id);
        }

        if (!ifMatch.Matches(version))
        {
            return Problems.PreconditionFailed();
        }

        // Soft delete: courses, attendance and the audit trail keep pointing at who did what.
        await db.ExecuteAsync(
            db.Sql("""
            UPDATE users SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1,
                             session_stamp = lower(hex(randomblob(16))) WHERE id = @id;
            UPDATE sign_in_links SET used_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE user_id = @id AND used_at IS NULL;
            UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE user_id = @id AND revoked_at IS NULL;
            """),
            new { id }, transaction);
        write.Commit();
        tokens.EvictUser(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<CreatedToken>, ValidationProblem, ProblemHttpResult>> CreateToken(
        int id, TokenRequest? request, DbConnection db, TimeProvider time)
    {
        var exists = await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @id AND deleted_at IS NULL)", new { id });
        if (!exists)
        {
            return Problems.NotFound("User", id);
        }

        var token = BearerTokens.Create();
        var now = Database.Now(time);
        DateTime? expiresAt = request?.ExpiresInDays is { } days ? now.AddDays(days) : null;
        var tokenId = await db.ExecuteScalarAsync<int>(
            "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES (@id, @hash, @createdAt, @expiresAt) RETURNING id",
            new
            {
                id,
                hash = BearerTokens.Hash(token),
                createdAt = Database.Timestamp(now),
                expiresAt = expiresAt is { } e ? Database.Timestamp(e) : null,
            });
        var created = new CreatedToken(tokenId, token, now, expiresAt);
        return TypedResults.Created($"/api/users/{id}/tokens/{tokenId}", created);
    }

    private static async Task<Results<Created<SignInLink>, ValidationProblem, ProblemHttpResult>> CreateSignInLink(
        int id, SignInLinkRequest? request, DbConnection db, TimeProvider time, IConfiguration configuration, IServer server)
    {
        var baseUrl = Documents.CodeSlips.PublicBaseUrl(configuration, server) + "/set-password?token=";
        var link = await Passwords.CreateLinkAsync(
            db, time, id, request?.ExpiresInDays ?? Passwords.LinkDays,
            (transaction, token, expiresAt) => Mail.UserMail.SignInLinkAsync(db, transaction, id, baseUrl + token, expiresAt));
        if (link is not { } created)
        {
            return Problems.NotFound("User", id);
        }

        var url = baseUrl + created.Token;
        return TypedResults.Created(url, new SignInLink(url, created.ExpiresAt));
    }

    private static async Task<Results<Ok<IReadOnlyList<TokenDto>>, ProblemHttpResult>> ListTokens(int id, DbConnection db)
    {
        var exists = await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @id AND deleted_at IS NULL)", new { id });
        if (!exists)
        {
            return Problems.NotFound("User", id);
        }

        var tokens = await db.QueryAsync<TokenDto>(
            "SELECT id AS Id, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM api_tokens WHERE user_id = @id ORDER BY id",
            new { id });
        return TypedResults.Ok<IReadOnlyList<TokenDto>>(tokens.ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(int id, int tokenId, DbConnection db, TokenCache tokens)
    {
        var revoked = await db.ExecuteAsync(
            db.Sql("""
            UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
            WHERE id = @tokenId AND user_id = @id
            """),
            new { id, tokenId });
        tokens.EvictToken(tokenId);
        return revoked == 0 ? Problems.NotFound("Token", tokenId) : TypedResults.NoContent();
    }
}
