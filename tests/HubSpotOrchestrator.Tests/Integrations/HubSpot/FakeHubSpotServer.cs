using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

/// <summary>A one-shot answer that replaces HubSpot's next matching response.</summary>
/// <param name="Process">When true the request is still carried out (state changes) and only the answer is replaced.</param>
/// <param name="Hang">When true the server never answers (until the client gives up).</param>
internal sealed record CannedResponse(
    string Method, string PathPrefix, int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, bool Process = false, bool Hang = false);

internal sealed record RecordedRequest(string Method, string Path, string Query, string? Authorization, string Body, DateTimeOffset At);

/// <summary>
/// A stateful stand-in for api.hubapi.com on 127.0.0.1 (real Kestrel, real HTTP): CRM v3 objects, v4 associations,
/// search, owners and the OAuth token endpoint, seeded from the shared crm-*.json fixtures. Request times are
/// stamped with the test's clock.
/// </summary>
internal sealed partial class FakeHubSpotServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<CannedResponse> _canned = new();
    private readonly Lock _state = new();
    private readonly Dictionary<(string Type, string Id), JsonObject> _objects = [];
    private readonly List<Association> _associations = [];
    private readonly Dictionary<string, DateTimeOffset> _oauthTokens = [];
    private int _nextId = 70_000;

    private FakeHubSpotServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        Seed("deals", Fixture("crm-deal-9002.json"));
        var second = Fixture("crm-deal-9002.json");
        second["id"] = "9003";
        second["properties"]!["dealname"] = "Globex — New business";
        Seed("deals", second);
        Seed("companies", Fixture("crm-company-555.json"));
        Seed("contacts", Fixture("crm-contact-321.json"));
        _associations.Add(new("deals", "9002", "contacts", "321", [3]));
        _associations.Add(new("deals", "9002", "companies", "555", [5]));
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string AccessToken { get; set; } = "test-token";

    /// <summary>Headers added to every answer, e.g. X-HubSpot-RateLimit-Daily-Remaining.</summary>
    public ConcurrentDictionary<string, string> ResponseHeaders { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public static async Task<FakeHubSpotServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeHubSpotServer(app, clock);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public void Enqueue(CannedResponse response) => _canned.Enqueue(response);

    /// <summary>Creates custom properties (empty on every record of the type), as a portal admin would before an app writes them.</summary>
    public void DefineProperties(string type, params string[] names)
    {
        lock (_state)
        {
            foreach (var record in _objects.Where(o => o.Key.Type == type).Select(o => o.Value["properties"]!.AsObject()))
            {
                foreach (var name in names.Where(n => !record.ContainsKey(n)))
                {
                    record[name] = null;
                }
            }
        }
    }

    public int Count(string method, string pathPrefix) =>
        Requests.Count(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public IReadOnlyList<JsonObject> Objects(string type)
    {
        lock (_state)
        {
            return _objects.Where(o => o.Key.Type == type).Select(o => (JsonObject)o.Value.DeepClone()).ToList();
        }
    }

    public JsonObject Object(string type, string id)
    {
        lock (_state)
        {
            return (JsonObject)_objects[(type, id)].DeepClone();
        }
    }

    public IReadOnlyList<Association> Associations()
    {
        lock (_state)
        {
            return _associations.ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(TestPaths.Fixture(Path.Combine("hubspot", name))))!.AsObject();

    private void Seed(string type, JsonObject record) => _objects[(type, record["id"]!.GetValue<string>())] = record;

    private async Task<bool> PreludeAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync();
        context.Request.Body.Position = 0;
        var request = context.Request;
        Requests.Enqueue(new(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.Headers.Authorization.ToString(), body, _clock.GetUtcNow()));
        foreach (var (name, value) in ResponseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        if (request.Path.StartsWithSegments("/oauth", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IsAuthorized(request.Headers.Authorization.ToString()))
        {
            await Write(context, 401, """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""");
            return false;
        }

        return true;
    }

    private bool IsAuthorized(string header)
    {
        if (header == "Bearer " + AccessToken)
        {
            return true;
        }

        lock (_state)
        {
            return header.StartsWith("Bearer ", StringComparison.Ordinal)
                && _oauthTokens.TryGetValue(header["Bearer ".Length..], out var expires)
                && _clock.GetUtcNow() < expires;
        }
    }

    private CannedResponse? TakeCanned(HttpRequest request)
    {
        if (_canned.TryPeek(out var next) && next.Method == request.Method && (request.Path.Value ?? "").StartsWith(next.PathPrefix, StringComparison.Ordinal)
            && _canned.TryDequeue(out var taken))
        {
            return taken;
        }

        return null;
    }

    private static async Task Write(HttpContext context, int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (body.Length > 0)
        {
            context.Response.ContentType = "application/json;charset=utf-8";
            await context.Response.WriteAsync(body);
        }
    }

    internal sealed record Association(string FromType, string FromId, string ToType, string ToId, IReadOnlyList<int> TypeIds);
}
