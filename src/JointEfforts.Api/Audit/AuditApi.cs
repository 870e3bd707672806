using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Audit;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit")
            .WithTags("Audit")
            .RequireAuthorization(Policies.SteeringGroup)
            .WithStandardProblems();

        group.MapGet("/", ListAuditEntries).WithName("ListAuditEntries")
            .WithSummary("Who changed what and when, newest first (admin, steering group). Every write is logged in the same transaction as the change.");
        return app;
    }

    private static async Task<Ok<Paged<AuditEntry>>> ListAuditEntries(
        [AsParameters] PageRequest paging, [AsParameters] AuditQuery query, DbConnection db)
    {
        const string where = """
            WHERE (@Entity IS NULL OR a.entity = @Entity) AND (@EntityId IS NULL OR a.entity_id = @EntityId)
              AND (@UserId IS NULL OR a.user_id = @UserId) AND (@From IS NULL OR a.at >= @From) AND (@To IS NULL OR a.at < @To)
            """;
        var parameters = new
        {
            query.Entity,
            query.EntityId,
            query.UserId,
            From = query.From is { } from ? Database.Timestamp(from) : null,
            To = query.To is { } to ? Database.Timestamp(to) : null,
            limit = paging.Size,
            offset = paging.Offset,
        };
        using var results = await db.QueryMultipleAsync(
            $"""
            SELECT a.id AS Id, a.at AS At, a.user_id AS UserId, u.user_name AS UserName, a.action AS Action, a.entity AS Entity,
                   a.entity_id AS EntityId, a.details AS DetailsJson, a.request AS Request
            FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
            {where}
            ORDER BY a.id DESC LIMIT @limit OFFSET @offset;
            SELECT COUNT(*) FROM audit_log a {where};
            """,
            parameters);
        var rows = await results.ReadAsync<AuditRow>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<AuditEntry>.Of(rows.Select(r => r.ToEntry()), paging, total));
    }

    private sealed record AuditRow
    {
        public long Id { get; init; }

        public DateTime At { get; init; }

        public int? UserId { get; init; }

        public string? UserName { get; init; }

        public required string Action { get; init; }

        public required string Entity { get; init; }

        public long? EntityId { get; init; }

        public string? DetailsJson { get; init; }

        public string? Request { get; init; }

        public AuditEntry ToEntry() => new()
        {
            Id = Id,
            At = At,
            UserId = UserId,
            UserName = UserName,
            Action = Action,
            Entity = Entity,
            EntityId = EntityId,
            Details = DetailsJson is null ? null : JsonDocument.Parse(DetailsJson).RootElement.Clone(),
            Request = Request,
        };
    }
}
