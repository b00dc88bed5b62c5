using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace HubSpotOrchestrator.Shared;

/// <summary>Whole documents and free text from outside: validation before parsing, parsed nodes, bounded ids.</summary>
public static partial class SafeJson
{
    /// <summary>
    /// Null when <paramref name="json"/> is well-formed, nests at most <paramref name="maxDepth"/> levels and every string
    /// and property name decodes; otherwise the problem, naming the property whose text is not valid. Once this passed,
    /// <see cref="JsonElement.GetString"/> and <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> cannot throw on it.
    /// </summary>
    /// <param name="subject">How messages name the whole document ("the event", "the payload").</param>
    /// <param name="lenient">Skip comments and allow trailing commas, as the parsers of files people edit (rules, card templates) do.</param>
    public static string? Validate(ReadOnlySpan<byte> json, int maxDepth = MaxDepth, string subject = "the JSON", bool lenient = false)
    {
        // One level more than allowed, so that the container that goes too deep is seen (and named) rather than thrown at.
        var options = new JsonReaderOptions
        {
            MaxDepth = maxDepth + 1,
            CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            AllowTrailingCommas = lenient,
        };
        var reader = new Utf8JsonReader(json, options);
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    return $"{subject} nests deeper than {maxDepth} levels";
                }

                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                var isName = reader.TokenType == JsonTokenType.PropertyName;
                if (!TryDecode(ref reader, out var text))
                {
                    return isName
                        ? $"a property name{(property is null ? "" : $" after \"{Excerpt(property)}\"")} is not valid text (a lone surrogate or invalid UTF-8)"
                        : $"{(property is null ? "a string" : $"\"{Excerpt(property)}\"")} is not valid text (a lone surrogate or invalid UTF-8)";
                }

                if (isName)
                {
                    property = text;
                }
            }
        }
        catch (JsonException ex)
        {
            return $"{subject} is not valid JSON: {ex.Message}";
        }

        return null;
    }

    /// <inheritdoc cref="Validate(ReadOnlySpan{byte}, int)"/>
    public static string? Validate(string json, int maxDepth = MaxDepth, string subject = "the JSON", bool lenient = false) =>
        Validate(Encoding.UTF8.GetBytes(json), maxDepth, subject, lenient);

    /// <summary>Parses untrusted JSON into an object, or null with <paramref name="problem"/> (not JSON, not an object, too deep, text not valid).</summary>
    public static JsonObject? ParseObject(string json, out string? problem, string subject = "the JSON")
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        problem = Validate(bytes, MaxDepth, subject);
        if (problem is not null)
        {
            return null;
        }

        var node = JsonNode.Parse(bytes);
        problem = node is not JsonObject ? $"{subject} is not a JSON object (got {node?.GetValueKind().ToString() ?? "null"})"
            : !IsReadable(node) ? $"{subject} has the same property name twice in one object"
            : null;
        return problem is null ? (JsonObject)node! : null;
    }

    /// <summary>
    /// Whether every string and property name in <paramref name="node"/> can be read: parsed JSON keeps a lone surrogate
    /// escape or invalid UTF-8 until the string is read, and a property name given twice until the object is first
    /// read, and then throws. Iterative, so any depth is fine.
    /// </summary>
    public static bool IsReadable(JsonNode? node)
    {
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        try
        {
            while (pending.TryPop(out var current))
            {
                switch (current)
                {
                    case JsonObject obj:
                        foreach (var (_, child) in obj)
                        {
                            pending.Push(child);
                        }

                        break;
                    case JsonArray array:
                        foreach (var child in array)
                        {
                            pending.Push(child);
                        }

                        break;
                    case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                        _ = value.GetValue<string>();
                        break;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // InvalidOperationException: text that cannot be decoded; ArgumentException: a duplicate property name.
            return false;
        }
    }

    /// <summary>
    /// A problem when the id <paramref name="value"/> takes more than <see cref="MaxIdLength"/> bytes in UTF-8 (what a
    /// store index holds; two such ids and a separator still fit LiteDB's 1,023-byte keys) or holds a lone surrogate.
    /// </summary>
    public static string? IdProblem(string field, string? value) =>
        TextProblem(field, value, MaxIdLength)
        ?? (value is not null && Encoding.UTF8.GetByteCount(value) > MaxIdLength ? $"\"{field}\" is longer than {MaxIdLength} bytes in UTF-8" : null);

    /// <summary>
    /// A problem when <paramref name="value"/> is longer than <paramref name="maxLength"/> characters or holds a lone
    /// surrogate (which no store can encode); null for null and for text that fits.
    /// </summary>
    public static string? TextProblem(string field, string? value, int maxLength = MaxIdLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"\"{field}\" is longer than {maxLength} characters ({value.Length})";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return $"\"{field}\" is not valid text (a lone surrogate)";
            }
        }

        return null;
    }

    private static bool TryDecode(ref Utf8JsonReader reader, out string text)
    {
        text = "";
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && Utf8.IsValid(reader.ValueSpan))
        {
            // The common case: no escapes and valid bytes decode; the name is kept for messages only.
            text = reader.TokenType == JsonTokenType.PropertyName ? reader.GetString()! : "";
            return true;
        }

        try
        {
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
