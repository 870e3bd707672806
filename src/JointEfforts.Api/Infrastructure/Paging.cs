using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace JointEfforts.Api.Infrastructure;

/// <summary><c>?page=1&amp;pageSize=50</c>: bind with <c>[AsParameters] PageRequest paging</c>.</summary>
public sealed record PageRequest
{
    public const int MaxPageSize = 200;

    [Range(1, 1_000_000)]
    [Description("1-based page number (default 1).")]
    public int? Page { get; init; }

    [Range(1, MaxPageSize)]
    [Description("Items per page, at most 200 (default 50).")]
    public int? PageSize { get; init; }

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 50;

    public int Offset => (PageNumber - 1) * Size;
}

/// <summary>A page of a list: <c>{ items, page, pageSize, total }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public static Paged<T> Of(IEnumerable<T> items, PageRequest request, int total) =>
        new(items.ToList(), request.PageNumber, request.Size, total);
}
