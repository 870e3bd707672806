using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace JointEfforts.Tests.Mail;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port, started by a test: it keeps every message it accepted,
/// parsed by MimeKit, and refuses recipients at <see cref="RefusedDomain"/> with 550 (a permanent failure).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    public const string RefusedDomain = "refused.example";

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly Task _running;

    private SmtpSink(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new RecipientFilter());
        var server = new SmtpServer.SmtpServer(options, services);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Messages => _messages.ToList();

    /// <summary>Starts a server on <paramref name="port"/>, or on a free port.</summary>
    public static SmtpSink Start(int? port = null) => new(port ?? FreePort());

    /// <summary>The settings that point the API at this server, with a fast worker (polls every 200 ms, retries after 1 s).</summary>
    public IDictionary<string, string?> Settings(double pollSeconds = 0.2) => SettingsFor(Port, pollSeconds);

    public static IDictionary<string, string?> SettingsFor(int port, double pollSeconds = 0.2) => new Dictionary<string, string?>
    {
        ["JointEfforts:Smtp:Host"] = "127.0.0.1",
        ["JointEfforts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["JointEfforts:Smtp:Security"] = "None",
        ["JointEfforts:Smtp:From"] = "JointEfforts <training@jointefforts.example>",
        ["JointEfforts:PublicBaseUrl"] = "https://training.example.org",
        ["JointEfforts:Mail:PollSeconds"] = pollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["JointEfforts:Mail:RetryBaseSeconds"] = "1",
    };

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (fails after <paramref name="seconds"/>).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {count} message(s) within {seconds} s; {_messages.Count} arrived: "
                            + string.Join("; ", _messages.Select(m => $"{m.To} '{m.Subject}'")));
            }

            await Task.Delay(50);
        }

        return Messages;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // cancelled
        }

        _stop.Dispose();
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            sink._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    private sealed class RecipientFilter : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!string.Equals(to.Host, RefusedDomain, StringComparison.OrdinalIgnoreCase));
    }
}
