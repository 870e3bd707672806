namespace JointEfforts.Api.Courses;

public static class CoursesApi
{
    /// <summary>Routes of courses, sessions, enrolments, attendance.</summary>
    public static IEndpointRouteBuilder MapCourses(this IEndpointRouteBuilder app) => app;
}
