using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// Values during evaluation are JavaScript-shaped: null, bool, double, string, or a (read-only) JsonObject/JsonArray
/// from the data.
/// </summary>
internal static class TemplateValue
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => (object)node,
        JsonValue v => v.GetValueKind() switch
        {
            // Explicit object casts: JsonNode's implicit conversions would otherwise turn the arms back into JsonValue.
            JsonValueKind.String => (object)v.GetValue<string>(),
            JsonValueKind.Number => (object)ToDouble(v),
            JsonValueKind.True => (object)true,
            JsonValueKind.False => (object)false,
            _ => null,
        },
        _ => null,
    };

    /// <summary>Numbers from parsed JSON or from C# callers (int, long, decimal…) become a JavaScript double.</summary>
    public static double ToDouble(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d when !double.IsFinite(d) => null, // JSON.stringify writes Infinity and NaN (a huge number in the data, 1/0) as null
        double d when double.IsFinite(d) && Math.Abs(d) < 1e15 && d == Math.Floor(d) => JsonValue.Create((long)d),
        double d => JsonValue.Create(d),
        JsonNode n => n.DeepClone(),
        _ => throw new InvalidOperationException("unexpected value " + value.GetType()),
    };

    public static string TypeName(object? value) => value switch
    {
        null => "null",
        string => "string",
        bool => "boolean",
        double => "number",
        JsonArray => "array",
        JsonObject => "object",
        _ => value.GetType().Name,
    };

    /// <summary>JSON.stringify: compact, no escaping of non-ASCII or HTML characters.</summary>
    public static string Stringify(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>AEL isLogicTrue: a boolean is itself, null is false, anything else is true.</summary>
    public static bool IsLogicTrue(object? value) => value switch
    {
        bool b => b,
        null => false,
        _ => true,
    };

    /// <summary>JavaScript value.toString() for the primitive values a string may embed.</summary>
    public static string ToJsString(object? value, string context) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => JsFormat.NumberToString(d),
        null => throw new TemplateEvaluationException($"{context} evaluated to null"),
        _ => throw new TemplateEvaluationException($"{context} evaluated to an {TypeName(value)}, which cannot be embedded in a string; use json()/string() or bind it alone"),
    };

    /// <summary>
    /// AEL property access is case-insensitive: the first key (in order) whose lower-case form matches.
    /// </summary>
    public static bool TryGetProperty(JsonObject obj, string name, out object? value)
    {
        foreach (var (key, node) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = FromNode(node);
                return true;
            }
        }

        value = null;
        return false;
    }
}
