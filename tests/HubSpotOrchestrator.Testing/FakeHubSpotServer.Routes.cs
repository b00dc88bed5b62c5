using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HubSpotOrchestrator.Testing;

public sealed partial class FakeHubSpotServer
{
    private static readonly string NotFound = """{"status":"error","message":"resource not found","category":"OBJECT_NOT_FOUND"}""";

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!await PreludeAsync(context))
            {
                return;
            }

            switch (TakeCanned(context.Request))
            {
                case null:
                    await next(context);
                    break;
                case { Hang: true }:
                    try
                    {
                        await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up, as it should.
                    }

                    break;
                case { Process: true } canned:
                    var original = context.Response.Body;
                    context.Response.Body = new MemoryStream();
                    await next(context);
                    context.Response.Body = original;
                    context.Response.Headers.ContentLength = null;
                    await Write(context, canned.Status, canned.Body, canned.Headers);
                    break;
                case var canned:
                    await Write(context, canned.Status, canned.Body, canned.Headers);
                    break;
            }
        });

        app.MapGet("/crm/v3/objects/{type}/{id}", (string type, string id, HttpRequest request) =>
        {
            lock (_state)
            {
                if (!_objects.TryGetValue((type, id), out var record))
                {
                    return Json(404, NotFound);
                }

                var result = Project(record, request.Query["properties"].ToString());
                var wanted = request.Query["associations"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (wanted.Length > 0)
                {
                    var associations = new JsonObject();
                    foreach (var toType in wanted)
                    {
                        associations[toType] = new JsonObject
                        {
                            ["results"] = new JsonArray(Linked(type, id, toType)
                                .Select(a => (JsonNode?)new JsonObject { ["id"] = a, ["type"] = $"{type.TrimEnd('s')}_to_{toType.TrimEnd('s')}" })
                                .ToArray()),
                        };
                    }

                    result["associations"] = associations;
                }

                return Json(200, result.ToJsonString());
            }
        });

        app.MapPatch("/crm/v3/objects/{type}/{id}", async (string type, string id, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            lock (_state)
            {
                if (!_objects.TryGetValue((type, id), out var record))
                {
                    return Json(404, NotFound);
                }

                return Apply(record, body["properties"]!.AsObject()) is { } error ? Json(400, error) : Json(200, record.ToJsonString());
            }
        });

        app.MapPost("/crm/v3/objects/{type}/batch/read", async (string type, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            var properties = string.Join(',', body["properties"]!.AsArray().Select(p => p!.GetValue<string>()));
            var results = new JsonArray();
            var errors = new JsonArray();
            lock (_state)
            {
                foreach (var input in body["inputs"]!.AsArray())
                {
                    var id = input!["id"]!.GetValue<string>();
                    if (_objects.TryGetValue((type, id), out var record))
                    {
                        results.Add(Project(record, properties));
                    }
                    else
                    {
                        errors.Add(new JsonObject { ["status"] = "error", ["category"] = "OBJECT_NOT_FOUND", ["message"] = $"Could not get some {type} objects, they may be deleted or not exist. Check that ids are valid." });
                    }
                }
            }

            return Json(errors.Count > 0 ? 207 : 200, new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["errors"] = errors }.ToJsonString());
        });

        app.MapPost("/crm/v3/objects/{type}/batch/update", async (string type, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            var results = new JsonArray();
            var errors = new JsonArray();
            lock (_state)
            {
                foreach (var input in body["inputs"]!.AsArray())
                {
                    var id = input!["id"]!.GetValue<string>();
                    if (!_objects.TryGetValue((type, id), out var record))
                    {
                        errors.Add(new JsonObject { ["status"] = "error", ["category"] = "OBJECT_NOT_FOUND", ["message"] = $"Object {id} not found" });
                    }
                    else if (Apply(record, input["properties"]!.AsObject()) is null)
                    {
                        results.Add(record.DeepClone());
                    }
                }
            }

            return Json(errors.Count > 0 ? 207 : 200, new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["errors"] = errors }.ToJsonString());
        });

        app.MapPost("/crm/v3/objects/{type}/search", async (string type, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            var properties = string.Join(',', body["properties"]!.AsArray().Select(p => p!.GetValue<string>()));
            var groups = body["filterGroups"]!.AsArray();
            lock (_state)
            {
                var matches = _objects.Where(o => o.Key.Type == type && (groups.Count == 0 || groups.Any(g => g!["filters"]!.AsArray().All(f => Matches(o.Value, f!)))))
                    .Select(o => (JsonNode?)Project(o.Value, properties))
                    .ToArray();
                return Json(200, new JsonObject { ["total"] = matches.Length, ["results"] = new JsonArray(matches) }.ToJsonString());
            }
        });

        app.MapPost("/crm/v3/objects/{type}", async (string type, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            lock (_state)
            {
                var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var record = new JsonObject { ["id"] = id, ["properties"] = body["properties"]!.DeepClone(), ["archived"] = false };
                record["properties"]!["hs_object_id"] = id;
                _objects[(type, id)] = record;
                foreach (var association in body["associations"]?.AsArray() ?? [])
                {
                    var toId = association!["to"]!["id"]!.ToString();
                    var typeIds = association["types"]!.AsArray().Select(t => t!["associationTypeId"]!.GetValue<int>()).ToList();
                    var toType = _objects.Keys.First(k => k.Id == toId && k.Type != type).Type;
                    _associations.Add(new(type, id, toType, toId, typeIds));
                }

                return Json(201, record.ToJsonString());
            }
        });

        app.MapGet("/crm/v4/objects/{type}/{id}/associations/{toType}", (string type, string id, string toType) =>
        {
            lock (_state)
            {
                var results = Linked(type, id, toType).Select(toId => (JsonNode?)new JsonObject
                {
                    ["toObjectId"] = long.Parse(toId, System.Globalization.CultureInfo.InvariantCulture),
                    ["associationTypes"] = new JsonArray(),
                });
                return Json(200, new JsonObject { ["results"] = new JsonArray(results.ToArray()) }.ToJsonString());
            }
        });

        app.MapPut("/crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}", (string type, string id, string toType, string toId) =>
            Associate(type, id, toType, toId, [0]));

        app.MapPut("/crm/v4/objects/{type}/{id}/associations/{toType}/{toId}", async (string type, string id, string toType, string toId, HttpRequest request) =>
        {
            var body = await ReadJson(request);
            return Associate(type, id, toType, toId, body.AsArray().Select(t => t!["associationTypeId"]!.GetValue<int>()).ToList());
        });

        app.MapGet("/crm/v3/owners/{id}", (string id) => id == "77"
            ? Json(200, """{"id":"77","email":"jordan.lee@acme.example","type":"PERSON","firstName":"Jordan","lastName":"Lee","userId":4711,"archived":false}""")
            : Json(404, NotFound));

        app.MapPost("/oauth/v1/token", async (HttpRequest request) =>
        {
            var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            TokenRequests.Enqueue(form);
            if (form.GetValueOrDefault("refresh_token") != "refresh-1" || form.GetValueOrDefault("client_secret") != "oauth-secret")
            {
                return Json(400, """{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token"}""");
            }

            lock (_state)
            {
                var token = "oauth-access-" + (_oauthTokens.Count + 1);
                _oauthTokens[token] = _clock.GetUtcNow().AddSeconds(1800);
                return Json(200, new JsonObject { ["token_type"] = "bearer", ["refresh_token"] = "refresh-1", ["access_token"] = token, ["expires_in"] = 1800 }.ToJsonString());
            }
        });
    }

    private IResult Associate(string type, string id, string toType, string toId, IReadOnlyList<int> typeIds)
    {
        lock (_state)
        {
            if (!_objects.ContainsKey((type, id)) || !_objects.ContainsKey((toType, toId)))
            {
                return Json(404, NotFound);
            }

            _associations.RemoveAll(a => a.FromType == type && a.FromId == id && a.ToType == toType && a.ToId == toId);
            _associations.Add(new(type, id, toType, toId, typeIds));
            return Json(200, """{"status":"COMPLETE","results":[]}""");
        }
    }

    private IEnumerable<string> Linked(string type, string id, string toType) => _associations
        .Where(a => a.FromType == type && a.FromId == id && a.ToType == toType).Select(a => a.ToId)
        .Concat(_associations.Where(a => a.ToType == type && a.ToId == id && a.FromType == toType).Select(a => a.FromId))
        .Distinct();

    /// <summary>HubSpot rejects properties that do not exist; here "exists" means the record already has it.</summary>
    private static string? Apply(JsonObject record, JsonObject properties)
    {
        var current = record["properties"]!.AsObject();
        if (properties.Select(p => p.Key).FirstOrDefault(k => !current.ContainsKey(k)) is { } unknown)
        {
            return new JsonObject
            {
                ["status"] = "error",
                ["message"] = $"Property values were not valid: [{{\"isValid\":false,\"message\":\"Property \\\"{unknown}\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"{unknown}\"}}]",
                ["category"] = "VALIDATION_ERROR",
            }.ToJsonString();
        }

        foreach (var (name, value) in properties)
        {
            current[name] = value?.DeepClone();
        }

        return null;
    }

    private static JsonObject Project(JsonObject record, string properties)
    {
        var result = (JsonObject)record.DeepClone();
        var wanted = properties.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (wanted.Length > 0)
        {
            var all = result["properties"]!.AsObject();
            result["properties"] = new JsonObject(wanted.Select(w => KeyValuePair.Create(w, all[w]?.DeepClone())));
        }

        return result;
    }

    private static bool Matches(JsonObject record, JsonNode filter)
    {
        var value = record["properties"]?[filter["propertyName"]!.GetValue<string>()]?.ToString();
        var expected = filter["value"]?.ToString();
        return filter["operator"]!.GetValue<string>() switch
        {
            "EQ" => value == expected,
            "HAS_PROPERTY" => !string.IsNullOrEmpty(value),
            "CONTAINS_TOKEN" => value?.Contains(expected ?? "", StringComparison.OrdinalIgnoreCase) == true,
            var op => throw new NotSupportedException("Fake HubSpot does not implement operator " + op),
        };
    }

    private static async Task<JsonNode> ReadJson(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        return JsonNode.Parse(await reader.ReadToEndAsync())!;
    }

    private static IResult Json(int status, string body) => Results.Content(body, "application/json", Encoding.UTF8, status);
}
