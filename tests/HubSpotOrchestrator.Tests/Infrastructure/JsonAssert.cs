using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Tests.Infrastructure;

internal static class JsonAssert
{
    /// <summary>JSON equality: numbers by value, object members in any order.</summary>
    public static bool JsonEqual(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && JsonEqual(p.Value, y[p.Key])),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Select((n, i) => JsonEqual(n, y[i])).All(e => e),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number => double.Parse(x.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) == double.Parse(y.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        (JsonValue x, JsonValue y) => x.GetValueKind() == y.GetValueKind() && x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };

    public static void Equal(JsonNode? expected, JsonNode? actual, string context)
    {
        Assert.True(JsonEqual(expected, actual), $"{context}{Environment.NewLine}expected: {expected?.ToJsonString()}{Environment.NewLine}actual:   {actual?.ToJsonString()}");
    }
}
