using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HubSpotOrchestrator.Testing;

/// <summary>A one-shot answer that replaces HubSpot's next matching response.</summary>
/// <param name="Process">When true the request is still carried out (state changes) and only the answer is replaced.</param>
/// <param name="Hang">When true the server never answers (until the client gives up).</param>
public sealed record CannedResponse(
    string Method, string PathPrefix, int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, bool Process = false, bool Hang = false);

/// <summary>
/// A stateful stand-in for api.hubapi.com on 127.0.0.1 (real Kestrel, real HTTP): CRM v3 objects, v4 associations,
/// search, owners and the OAuth token endpoint, seeded from the test fixtures crm-*.json (deals 9002 and 9003,
/// company 555, contact 321; owner 77). Deals can be added while it runs (<see cref="AddDeal"/>). Request times are
/// stamped with the given clock (a test's fake clock, or the system's).
/// </summary>
public sealed partial class FakeHubSpotServer : IAsyncDisposable
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<CannedResponse> _canned = new();
    private readonly Lock _state = new();
    private readonly Dictionary<(string Type, string Id), JsonObject> _objects = [];
    private readonly List<Association> _associations = [];
    private readonly Dictionary<string, DateTimeOffset> _oauthTokens = [];
    private readonly Dictionary<string, HashSet<string>> _definedProperties = [];
    private int _nextId = 70_000;
    private LoopbackServer _server = null!;

    private FakeHubSpotServer(TimeProvider clock)
    {
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

    /// <summary>
    /// The custom deal properties a portal is set up with for Procurement Approval: the ones the policy reads and the
    /// outcome written back (README, Procurement settings; defaults of ProcurementOptions).
    /// </summary>
    public static IReadOnlyList<string> ProcurementDealProperties { get; } =
        ["approval_status", "approved_by", "approval_decided_at", "contract_term_months", "non_standard_terms", "deal_currency_code"];

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string AccessToken { get; set; } = "test-token";

    /// <summary>Headers added to every answer, e.g. X-HubSpot-RateLimit-Daily-Remaining.</summary>
    public ConcurrentDictionary<string, string> ResponseHeaders { get; } = new();

    /// <summary>Every request received (OAuth included), stamped with the server's clock.</summary>
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    /// <summary><see cref="Settings"/> as command-line arguments for a service started in this process.</summary>
    public IReadOnlyList<string> ServiceArgs => [.. Settings().Select(s => $"--{s.Key}={s.Value}")];

    public static async Task<FakeHubSpotServer> StartAsync(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var server = new FakeHubSpotServer(clock);
        server._server = await LoopbackServer.StartAsync(server.Map, clock);
        server.BaseUrl = new Uri(server._server.BaseUrl + "/");
        return server;
    }

    /// <summary>The service's configuration for this HubSpot: base URL (plain HTTP allowed) and the private-app token.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["HubSpot:BaseUrl"] = BaseUrl.ToString(),
        ["HubSpot:AccessToken"] = AccessToken,
        ["HubSpot:AllowInsecureHttp"] = "true",
    };

    public void Enqueue(CannedResponse response) => _canned.Enqueue(response);

    /// <summary>
    /// Creates custom properties (empty on every record of the type, including deals added later with
    /// <see cref="AddDeal"/>), as a portal admin would before an app writes them.
    /// </summary>
    public void DefineProperties(string type, params IEnumerable<string> names)
    {
        lock (_state)
        {
            if (!_definedProperties.TryGetValue(type, out var defined))
            {
                _definedProperties[type] = defined = new HashSet<string>(StringComparer.Ordinal);
            }

            defined.UnionWith(names);
            foreach (var record in _objects.Where(o => o.Key.Type == type).Select(o => o.Value["properties"]!.AsObject()))
            {
                AddMissing(record, defined);
            }
        }
    }

    /// <summary>
    /// Adds (or replaces) deal <paramref name="id"/> with <paramref name="properties"/>, plus hs_object_id and the
    /// custom properties defined so far; associated with company <paramref name="companyId"/> when given.
    /// </summary>
    public void AddDeal(string id, IReadOnlyDictionary<string, string?> properties, string? companyId = null)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var now = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var values = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        values["hs_object_id"] = id;
        var record = new JsonObject { ["id"] = id, ["properties"] = values, ["createdAt"] = now, ["updatedAt"] = now, ["archived"] = false };
        lock (_state)
        {
            if (_definedProperties.TryGetValue("deals", out var defined))
            {
                AddMissing(values, defined);
            }

            Seed("deals", record);
            _associations.RemoveAll(a => a.FromType == "deals" && a.FromId == id && a.ToType == "companies");
            if (companyId is not null)
            {
                _associations.Add(new("deals", id, "companies", companyId, [5]));
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

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "HubSpot's own term: a CRM object (deal, contact, company).")]
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

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static JsonObject Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(TestPaths.Fixture(Path.Combine("hubspot", name))))!.AsObject();

    private void Seed(string type, JsonObject record) => _objects[(type, record["id"]!.GetValue<string>())] = record;

    private static void AddMissing(JsonObject properties, IEnumerable<string> names)
    {
        foreach (var name in names.Where(n => !properties.ContainsKey(n)))
        {
            properties[name] = null;
        }
    }

    /// <summary>Runs after <see cref="LoopbackServer"/> recorded the request: adds <see cref="ResponseHeaders"/>, refuses a missing or wrong token.</summary>
    private async Task<bool> PreludeAsync(HttpContext context)
    {
        var request = context.Request;
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

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1034:Nested types should not be visible", Justification = "Read by tests as FakeHubSpotServer.Association, next to the fake that records it.")]
    public sealed record Association(string FromType, string FromId, string ToType, string ToId, IReadOnlyList<int> TypeIds);
}
