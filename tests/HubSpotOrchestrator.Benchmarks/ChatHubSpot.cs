using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// Just enough of api.hubapi.com on loopback for Procurement Approval: GET deal (with its company association),
/// GET company, GET owner, PATCH deal, and the note calls of the write-back (v4 associations list, notes batch read,
/// note create). Records are kept in memory; writes change them.
/// </summary>
internal sealed class ChatHubSpot : IAsyncDisposable
{
    public const string AccessToken = "bench-hubspot-token";
    public const string CompanyId = "555";
    public const string OwnerId = "77";

    private static readonly string NotFound = """{"status":"error","message":"resource not found","category":"OBJECT_NOT_FOUND"}""";
    private readonly ConcurrentDictionary<(string Type, string Id), JsonObject> _objects = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _notesByDeal = new();
    private readonly ConcurrentDictionary<string, bool> _dealsWithCompany = new();
    private ChatLoopback _server = null!;
    private int _nextId = 80_000;
    private int _requests;

    public string BaseUrl => _server.BaseUrl;

    public int Requests => Volatile.Read(ref _requests);

    public string[] ServiceArgs =>
    [
        $"--HubSpot:BaseUrl={BaseUrl}",
        $"--HubSpot:AccessToken={AccessToken}",
        "--HubSpot:AllowInsecureHttp=true",
    ];

    public static async Task<ChatHubSpot> StartAsync()
    {
        var hubspot = new ChatHubSpot();
        hubspot._objects[("companies", CompanyId)] = new JsonObject { ["name"] = "Müller & Söhne GmbH — Zürich", ["domain"] = "mueller-soehne.ch" };
        hubspot._server = await ChatLoopback.StartAsync(hubspot.Map);
        return hubspot;
    }

    /// <summary>
    /// A deal in contract-sent that needs exactly one approval stage (sales-vp): amount 40,000, discount 25 %.
    /// With company 555 and owner 77 the workflow's load step makes three HubSpot calls (deal, company, owner), without one.
    /// </summary>
    public void AddDeal(long id, bool withCompanyAndOwner)
    {
        var text = id.ToString(CultureInfo.InvariantCulture);
        _dealsWithCompany[text] = withCompanyAndOwner;
        _objects[("deals", text)] = new JsonObject
        {
            ["dealname"] = "Bench deal " + text,
            ["amount"] = "40000",
            ["discount_percentage"] = "25",
            ["dealstage"] = "contractsent",
            ["pipeline"] = "default",
            ["hubspot_owner_id"] = withCompanyAndOwner ? OwnerId : null,
            ["hs_object_id"] = text,
        };
    }

    public string? DealProperty(long id, string name) =>
        _objects.TryGetValue(("deals", id.ToString(CultureInfo.InvariantCulture)), out var deal) ? deal[name]?.GetValue<string>() : null;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + AccessToken)
            {
                await Json(401, """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/crm/v3/objects/{type}/{id}", (string type, string id, HttpRequest request) =>
        {
            if (!_objects.TryGetValue((type, id), out var properties))
            {
                return Json(404, NotFound);
            }

            JsonObject projected;
            lock (properties)
            {
                var wanted = request.Query["properties"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                projected = new JsonObject(wanted.Select(w => KeyValuePair.Create(w, properties[w]?.DeepClone())));
            }

            var record = new JsonObject { ["id"] = id, ["properties"] = projected, ["archived"] = false };
            if (type == "deals" && _dealsWithCompany.GetValueOrDefault(id) && request.Query["associations"].ToString().Contains("companies", StringComparison.Ordinal))
            {
                record["associations"] = new JsonObject
                {
                    ["companies"] = new JsonObject { ["results"] = new JsonArray(new JsonObject { ["id"] = CompanyId, ["type"] = "deal_to_company" }) },
                };
            }

            return Json(200, record.ToJsonString());
        });

        app.MapPatch("/crm/v3/objects/{type}/{id}", async (string type, string id, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            if (!_objects.TryGetValue((type, id), out var properties))
            {
                return Json(404, NotFound);
            }

            lock (properties)
            {
                foreach (var (name, value) in body["properties"]!.AsObject())
                {
                    properties[name] = value?.DeepClone();
                }

                return Json(200, new JsonObject { ["id"] = id, ["properties"] = properties.DeepClone(), ["archived"] = false }.ToJsonString());
            }
        });

        app.MapGet("/crm/v4/objects/deals/{id}/associations/notes", (string id) =>
        {
            var results = _notesByDeal.TryGetValue(id, out var notes)
                ? notes.Select(n => (JsonNode?)new JsonObject { ["toObjectId"] = long.Parse(n, CultureInfo.InvariantCulture), ["associationTypes"] = new JsonArray() }).ToArray()
                : [];
            return Json(200, new JsonObject { ["results"] = new JsonArray(results) }.ToJsonString());
        });

        app.MapPost("/crm/v3/objects/notes/batch/read", async (HttpRequest request) =>
        {
            var body = await ReadJson(request);
            var results = new JsonArray();
            foreach (var input in body["inputs"]!.AsArray())
            {
                var id = input!["id"]!.GetValue<string>();
                if (_objects.TryGetValue(("notes", id), out var properties))
                {
                    results.Add(new JsonObject { ["id"] = id, ["properties"] = properties.DeepClone() });
                }
            }

            return Json(200, new JsonObject { ["status"] = "COMPLETE", ["results"] = results }.ToJsonString());
        });

        app.MapPost("/crm/v3/objects/notes", async (HttpRequest request) =>
        {
            var body = await ReadJson(request);
            var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            _objects[("notes", id)] = body["properties"]!.DeepClone().AsObject();
            foreach (var association in body["associations"]?.AsArray() ?? [])
            {
                _notesByDeal.GetOrAdd(association!["to"]!["id"]!.ToString(), _ => new()).Enqueue(id);
            }

            return Json(201, new JsonObject { ["id"] = id, ["properties"] = body["properties"]!.DeepClone(), ["archived"] = false }.ToJsonString());
        });

        app.MapGet("/crm/v3/owners/{id}", (string id) => id == OwnerId
            ? Json(200, """{"id":"77","email":"marco.bianchi@example.com","type":"PERSON","firstName":"Marco","lastName":"Bianchi","userId":77,"archived":false}""")
            : Json(404, NotFound));
    }

    private static async Task<JsonNode> ReadJson(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        return JsonNode.Parse(await reader.ReadToEndAsync())!;
    }

    private static IResult Json(int status, string body) => Results.Content(body, "application/json", Encoding.UTF8, status);
}
