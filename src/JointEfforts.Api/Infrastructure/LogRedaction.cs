using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// No evaluation code reaches a log, whatever the logging settings say (API.md, "Anonymity of evaluations"): a code
/// travels in a URL (<c>/api/evaluations/form?code=...</c>, the participant pages at <c>/e/{code}</c>), and the
/// framework would write URLs in its request logs and request scopes. The logger factory itself is replaced, so
/// every provider (console, JSON, a test's capture) sees the same thing:
/// the framework's per-request logs (every <c>Microsoft.AspNetCore.*</c> category: hosting, routing, Razor Pages) are off below Warning, and
/// every message, structured value and scope value has <c>code=...</c> and <c>/e/...</c> replaced by <c>***</c>, and a
/// structured value named <c>code</c> is masked whole.
/// </summary>
public static partial class LogRedaction
{
    public const string Mask = "***";

    public static IServiceCollection AddCodeRedactingLogging(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    /// <summary>The text with every code position of a URL masked.</summary>
    public static string Redact(string text) =>
        text.Contains("code", StringComparison.OrdinalIgnoreCase) || text.Contains("/e/", StringComparison.OrdinalIgnoreCase)
            ? PathCode().Replace(QueryCode().Replace(text, "$1" + Mask), "$1" + Mask)
            : text;

    [GeneratedRegex(@"((?:^|[?&;\s""'])code=)[^&\s""']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryCode();

    // Any letter case: routing matches /E/{code} and /e/{code} alike, so the log must mask both.
    [GeneratedRegex(@"(/e/)[^/?#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PathCode();

    private static object? RedactValue(object? value) => value switch
    {
        string text => Redact(text),
        PathString path => Redact(path.ToString()),
        QueryString query => Redact(query.ToString()),
        Uri uri => Redact(uri.ToString()),
        _ => value,
    };

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(
            inner.CreateLogger(categoryName),
            // The framework's per-request logs (hosting, routing, MVC and Razor Pages handler arguments) carry URLs and
            // route values; below Warning they are not needed in production and are where a code would slip through.
            categoryName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Trace);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? inner.BeginScope(new RedactedState(values, Redact(state.ToString() ?? string.Empty)))
                : state is string text ? inner.BeginScope(Redact(text)) : inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = Redact(formatter(state, exception));
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            inner.Log(logLevel, eventId, new RedactedState(values, message), exception, static (s, _) => s.ToString());
        }
    }

    /// <summary>The structured values of a log entry or scope, with codes masked; its text is the masked message.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index].Key.Equals("code", StringComparison.OrdinalIgnoreCase)
            ? new(values[index].Key, Mask)
            : new(values[index].Key, RedactValue(values[index].Value));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
