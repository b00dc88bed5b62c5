using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>Maps HubSpot CRM v3 JSON to and from the client's records.</summary>
internal static class CrmJson
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoAssociations =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>{"id":"9002","properties":{...},"associations":{"contacts":{"results":[{"id":"321","type":"deal_to_contact"}]}}}</summary>
    public static CrmObject ToObject(JsonElement element, string endpoint)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var idElement))
        {
            throw HubSpotErrors.UnexpectedShape(endpoint, "a record without \"id\"");
        }

        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (element.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in props.EnumerateObject())
            {
                properties[property.Name] = AsString(property.Value);
            }
        }

        var associations = NoAssociations;
        if (element.TryGetProperty("associations", out var assoc) && assoc.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var type in assoc.EnumerateObject())
            {
                map[type.Name] = type.Value.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
                    ? results.EnumerateArray()
                        .Select(r => r.TryGetProperty("id", out var id) ? AsString(id) : null)
                        .OfType<string>()
                        .Distinct(StringComparer.Ordinal)
                        .ToList()
                    : [];
            }

            associations = map;
        }

        return new CrmObject(AsString(idElement) ?? "", properties, associations);
    }

    /// <summary>The "results" array of a batch or search response.</summary>
    public static List<CrmObject> ToObjects(JsonElement? body, string endpoint)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            throw HubSpotErrors.UnexpectedShape(endpoint, "expected a JSON object");
        }

        return root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Select(r => ToObject(r, endpoint)).ToList()
            : throw HubSpotErrors.UnexpectedShape(endpoint, "no \"results\" array");
    }

    /// <summary>Batch "errors": [{"status":"error","category":"OBJECT_NOT_FOUND","message":"..."}].</summary>
    public static IReadOnlyList<string> Errors(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? errors.EnumerateArray()
                .Select(e => e.TryGetProperty("message", out var m) ? AsString(m) : e.GetRawText())
                .OfType<string>()
                .ToList()
            : [];

    public static string? NextAfter(JsonElement root) =>
        root.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var next) && next.TryGetProperty("after", out var after)
            ? AsString(after)
            : null;

    /// <summary>HubSpot property values are strings; an empty string clears a property, so null is sent as "".</summary>
    public static JsonObject Properties(IReadOnlyDictionary<string, string?> properties)
    {
        var node = new JsonObject();
        foreach (var (name, value) in properties)
        {
            node[name] = value ?? "";
        }

        return node;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray AssociationTypes(IEnumerable<CrmAssociationType> types) => new(types
        .Select(t => (JsonNode?)new JsonObject { ["associationCategory"] = t.Category, ["associationTypeId"] = t.TypeId })
        .ToArray());

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
