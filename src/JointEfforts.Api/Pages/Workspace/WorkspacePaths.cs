namespace JointEfforts.Api.Pages.Workspace;

/// <summary>The addresses of the workspace pages: the sign-in pages and everything under <c>/workspace</c>.</summary>
public static class WorkspacePaths
{
    public const string Home = "/workspace";

    public static bool Contains(PathString path) =>
        path.StartsWithSegments(Home) || path.StartsWithSegments("/signin") || path.StartsWithSegments("/signout")
        || path.StartsWithSegments("/set-password");
}
