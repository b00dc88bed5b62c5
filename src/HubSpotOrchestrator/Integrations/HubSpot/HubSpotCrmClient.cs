using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>The CRM v3 objects / v4 associations endpoints behind <see cref="IHubSpotCrm"/>.</summary>
internal sealed partial class HubSpotCrmClient(HubSpotHttp http, HubSpotCrmOptions options, TimeProvider time) : IHubSpotCrm
{
    // HubSpot batch endpoints take at most 100 inputs per call.
    private const int BatchSize = 100;

    public async Task<CrmObject> GetAsync(
        string objectType, string id, IReadOnlyCollection<string> properties, IReadOnlyCollection<string>? associations = null, CancellationToken cancellationToken = default)
    {
        var path = $"crm/v3/objects/{Segment(objectType, nameof(objectType))}/{Segment(id, nameof(id))}?archived=false";
        if (properties.Count > 0)
        {
            path += "&properties=" + string.Join(',', properties.Select(Uri.EscapeDataString));
        }

        if (associations is { Count: > 0 })
        {
            path += "&associations=" + string.Join(',', associations.Select(Uri.EscapeDataString));
        }

        var body = await http.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return CrmJson.ToObject(Require(body, "GET", path), Endpoint("GET", path));
    }

    public async Task<IReadOnlyList<CrmObject>> BatchReadAsync(
        string objectType, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> properties, CancellationToken cancellationToken = default)
    {
        var path = $"crm/v3/objects/{Segment(objectType, nameof(objectType))}/batch/read";
        var results = new List<CrmObject>(ids.Count);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(BatchSize))
        {
            var request = new JsonObject
            {
                ["properties"] = CrmJson.Strings(properties),
                ["inputs"] = new JsonArray(chunk.Select(id => (JsonNode?)new JsonObject { ["id"] = id }).ToArray()),
            };

            // Ids HubSpot does not know come back under "errors" (207 Multi-Status); the caller sees them as absent.
            var body = await http.SendAsync(HttpMethod.Post, path, request, cancellationToken);
            results.AddRange(CrmJson.ToObjects(body, Endpoint("POST", path)));
        }

        return results;
    }

    public async Task<CrmObject> UpdateAsync(
        string objectType, string id, IReadOnlyDictionary<string, string?> properties, CancellationToken cancellationToken = default)
    {
        RequireProperties(properties);
        var path = $"crm/v3/objects/{Segment(objectType, nameof(objectType))}/{Segment(id, nameof(id))}";
        var body = await http.SendAsync(HttpMethod.Patch, path, new JsonObject { ["properties"] = CrmJson.Properties(properties) }, cancellationToken);
        return CrmJson.ToObject(Require(body, "PATCH", path), Endpoint("PATCH", path));
    }

    public async Task<IReadOnlyList<CrmObject>> BatchUpdateAsync(
        string objectType, IReadOnlyList<CrmObjectUpdate> updates, CancellationToken cancellationToken = default)
    {
        foreach (var update in updates)
        {
            Segment(update.Id, nameof(updates));
            RequireProperties(update.Properties);
        }

        var path = $"crm/v3/objects/{Segment(objectType, nameof(objectType))}/batch/update";
        var results = new List<CrmObject>(updates.Count);
        foreach (var chunk in updates.Chunk(BatchSize))
        {
            var request = new JsonObject
            {
                ["inputs"] = new JsonArray(chunk
                    .Select(u => (JsonNode?)new JsonObject { ["id"] = u.Id, ["properties"] = CrmJson.Properties(u.Properties) })
                    .ToArray()),
            };
            var body = await http.SendAsync(HttpMethod.Post, path, request, cancellationToken);
            if (CrmJson.Errors(body) is { Count: > 0 } errors)
            {
                throw new IntegrationException(
                    HubSpotErrors.System, FailureKind.Permanent, $"POST /{path}: HubSpot rejected part of the batch: {string.Join("; ", errors)}");
            }

            results.AddRange(CrmJson.ToObjects(body, Endpoint("POST", path)));
        }

        return results;
    }

    public Task AssociateDefaultAsync(CrmRecordRef from, CrmRecordRef to, CancellationToken cancellationToken = default) =>
        http.SendAsync(
            HttpMethod.Put,
            $"crm/v4/objects/{Segment(from.ObjectType, nameof(from))}/{Segment(from.Id, nameof(from))}/associations/default/{Segment(to.ObjectType, nameof(to))}/{Segment(to.Id, nameof(to))}",
            null,
            cancellationToken);

    public Task AssociateAsync(
        CrmRecordRef from, CrmRecordRef to, IReadOnlyList<CrmAssociationType> types, CancellationToken cancellationToken = default)
    {
        if (types.Count == 0)
        {
            throw new ArgumentException("At least one association type is required; use AssociateDefaultAsync for an unlabelled association.", nameof(types));
        }

        return http.SendAsync(
            HttpMethod.Put,
            $"crm/v4/objects/{Segment(from.ObjectType, nameof(from))}/{Segment(from.Id, nameof(from))}/associations/{Segment(to.ObjectType, nameof(to))}/{Segment(to.Id, nameof(to))}",
            CrmJson.AssociationTypes(types),
            cancellationToken);
    }

    public async Task<CrmSearchResult> SearchAsync(string objectType, CrmSearchRequest request, CancellationToken cancellationToken = default)
    {
        // HubSpot CRM search: at most 200 results per page, 5 filter groups of up to 6 filters.
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Limit, 200, nameof(request));
        var path = $"crm/v3/objects/{Segment(objectType, nameof(objectType))}/search";
        var json = new JsonObject
        {
            ["filterGroups"] = new JsonArray(request.FilterGroups
                .Select(g => (JsonNode?)new JsonObject { ["filters"] = new JsonArray(g.Select(Filter).ToArray()) })
                .ToArray()),
            ["properties"] = CrmJson.Strings(request.Properties),
            ["limit"] = request.Limit,
        };
        if (request.After is not null)
        {
            json["after"] = request.After;
        }

        if (request.SortProperty is not null)
        {
            json["sorts"] = new JsonArray(new JsonObject
            {
                ["propertyName"] = request.SortProperty,
                ["direction"] = request.SortDescending ? "DESCENDING" : "ASCENDING",
            });
        }

        var body = await http.SendAsync(HttpMethod.Post, path, json, cancellationToken, search: true);
        var endpoint = Endpoint("POST", path);
        var results = CrmJson.ToObjects(body, endpoint);
        var root = body!.Value;
        var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : results.Count;
        return new CrmSearchResult(total, results, CrmJson.NextAfter(root));
    }

    public async Task<HubSpotOwner> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var path = $"crm/v3/owners/{Segment(ownerId, nameof(ownerId))}?idProperty=id";
        var owner = Require(await http.SendAsync(HttpMethod.Get, path, null, cancellationToken), "GET", path);
        string? Read(string name) => owner.TryGetProperty(name, out var v) ? CrmJson.AsString(v) : null;
        return new HubSpotOwner(Read("id") ?? ownerId, Read("email"), Read("firstName"), Read("lastName"));
    }

    private static JsonNode? Filter(CrmFilter filter)
    {
        var node = new JsonObject { ["propertyName"] = filter.PropertyName, ["operator"] = filter.Operator };
        if (filter.Value is not null)
        {
            node["value"] = filter.Value;
        }

        if (filter.Values is not null)
        {
            node["values"] = CrmJson.Strings(filter.Values);
        }

        return node;
    }

    private static JsonElement Require(JsonElement? body, string method, string path) =>
        body is { ValueKind: JsonValueKind.Object } element ? element : throw HubSpotErrors.UnexpectedShape(Endpoint(method, path), "expected a JSON object");

    private static string Endpoint(string method, string path) => $"{method} /{path.Split('?')[0]}";

    private static void RequireProperties(IReadOnlyDictionary<string, string?> properties)
    {
        if (properties.Count == 0)
        {
            throw new ArgumentException("At least one property to set is required.", nameof(properties));
        }
    }

    /// <summary>Object types and ids go into the URL path; anything but these characters is a caller bug, not something to escape.</summary>
    private static string Segment(string value, string parameter) =>
        !string.IsNullOrEmpty(value) && SafeSegment().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a valid HubSpot object type or id (letters, digits, '_' and '-' only).", parameter);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex SafeSegment();
}
