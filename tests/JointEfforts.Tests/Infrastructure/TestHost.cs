using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>What the in-memory test server lacks: a socket peer address, and a place to read the logs.</summary>
public static class TestHost
{
    /// <summary>The header that sets the socket peer's address of a test request (default 198.51.100.10).</summary>
    public const string PeerHeader = "X-Test-Peer";

    /// <summary>Gives every request a socket peer address, as Kestrel does: the value of <see cref="PeerHeader"/> or 198.51.100.10.</summary>
    public static void WithPeerAddress(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerAddressFilter>());

    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(
                    context.Request.Headers.TryGetValue(PeerHeader, out var peer) ? peer.ToString() : "198.51.100.10");
                context.Request.Headers.Remove(PeerHeader);
                await inner(context);
            });
            next(app);
        };
    }
}

/// <summary>Every log entry the app writes, at every level, with its structured values and scopes, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<string> Entries => _entries.ToList();

    public void Attach(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(this));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{category} [{logLevel}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append($" {key}={value}");
                }
            }

            owner._scopes?.ForEachScope(
                (scope, builder) =>
                {
                    builder.Append(" scope:").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scoped)
                    {
                        foreach (var (key, value) in scoped)
                        {
                            builder.Append($" {key}={value}");
                        }
                    }
                },
                text);
            owner._entries.Enqueue(text.ToString());
        }
    }
}
