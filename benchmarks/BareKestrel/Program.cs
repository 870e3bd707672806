// TechEmpower's plaintext without pipelining, as a minimal API: what this machine's Kestrel serves when the app does nothing.
// The load benchmark divides the API's requests per second by this app's, measured in the same run.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();
app.MapGet("/plaintext", () => "Hello, World!");
app.Run();
