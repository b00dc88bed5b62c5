using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace HubSpotOrchestrator.Shared;

public enum JsonFieldStatus
{
    Ok,
    Missing,
    Invalid,
}

/// <summary>A field of untrusted JSON: its value, or why it could not be read (<see cref="Problem"/> names the field).</summary>
public readonly record struct JsonField<T>(JsonFieldStatus Status, T Value, string? Problem)
{
    public bool IsOk => Status == JsonFieldStatus.Ok;

    public bool IsMissing => Status == JsonFieldStatus.Missing;
}

/// <summary>
/// Reads JSON that came from outside without throwing. <see cref="JsonElement"/>'s own readers throw for what a hostile
/// sender controls: <c>TryGetInt64</c> on a string, null or object; <c>GetString</c>, <c>GetRawText</c> and even
/// <c>TryGetProperty</c> on a lone surrogate escape (<c>"\ud800"</c>) or invalid UTF-8. Here the kind is checked before
/// a number or string is read, text that cannot be decoded is a problem naming its field, and ids have a bounded length
/// (store indexes limit their keys: LiteDB to 1,023 bytes, so 256 characters of at most 3 bytes each fit with a prefix).
/// </summary>
public static partial class SafeJson
{
    /// <summary>The longest id (approval, exception, run, Slack or Teams id…) accepted from outside: characters, and for <see cref="IdProblem"/> UTF-8 bytes.</summary>
    public const int MaxIdLength = 256;

    /// <summary>How deep untrusted JSON may nest: System.Text.Json's default, which every later reader of it uses.</summary>
    public const int MaxDepth = 64;

    /// <summary>The property <paramref name="name"/> of an object; false for a non-object, a missing property, or names that cannot be decoded.</summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        try
        {
            return element.TryGetProperty(name, out value);
        }
        catch (InvalidOperationException)
        {
            // A property name before it is a lone surrogate escape or invalid UTF-8 (Validate first for a precise reason).
            return false;
        }
    }

    /// <summary>A 64-bit integer field: missing, or a problem when it is another kind (string, null, bool, object) or out of range.</summary>
    public static JsonField<long> Int64Field(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out var value))
        {
            return new(JsonFieldStatus.Missing, 0, $"\"{name}\" is missing");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return new(JsonFieldStatus.Invalid, 0, $"\"{name}\" must be an integer, got {KindOf(value)}");
        }

        return value.TryGetInt64(out var number)
            ? new(JsonFieldStatus.Ok, number, null)
            : new(JsonFieldStatus.Invalid, 0, $"\"{name}\" must be a 64-bit integer, got {Excerpt(RawText(value))}");
    }

    /// <summary>A 32-bit integer field, read like <see cref="Int64Field"/>.</summary>
    public static JsonField<int> Int32Field(JsonElement obj, string name)
    {
        var wide = Int64Field(obj, name);
        if (!wide.IsOk)
        {
            return new(wide.Status, 0, wide.Problem);
        }

        return wide.Value is >= int.MinValue and <= int.MaxValue
            ? new(JsonFieldStatus.Ok, (int)wide.Value, null)
            : new(JsonFieldStatus.Invalid, 0, $"\"{name}\" must be a 32-bit integer, got {wide.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A string field of at most <paramref name="maxLength"/> characters; another kind, undecodable text or more characters is a problem.</summary>
    public static JsonField<string> StringField(JsonElement obj, string name, int maxLength = MaxIdLength)
    {
        if (!TryGetProperty(obj, name, out var value))
        {
            return new(JsonFieldStatus.Missing, "", $"\"{name}\" is missing");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return new(JsonFieldStatus.Invalid, "", $"\"{name}\" must be a string, got {KindOf(value)}");
        }

        if (!TryGetString(value, out var text))
        {
            return new(JsonFieldStatus.Invalid, "", $"\"{name}\" is not valid text (a lone surrogate or invalid UTF-8)");
        }

        return TextProblem(name, text, maxLength) is { } problem ? new(JsonFieldStatus.Invalid, "", problem) : new(JsonFieldStatus.Ok, text, null);
    }

    /// <summary>The text of a string element; false for other kinds and for text that cannot be decoded.</summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        text = "";
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The string property <paramref name="name"/> of a JSON object node, or null (absent, another kind, text that cannot be decoded). Never throws.</summary>
    public static string? Text(JsonObject? obj, string name)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var node) || node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The element's JSON text as sent; bytes that are not UTF-8 become U+FFFD instead of throwing.</summary>
    public static string RawText(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>Whether the element's bytes are valid UTF-8, so that <see cref="RawText"/> is exactly what was sent.</summary>
    public static bool IsValidUtf8(JsonElement element) => Utf8.IsValid(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>The raw bytes of the element in base64 (for keeping bytes that are not UTF-8).</summary>
    public static string RawBase64(JsonElement element) => Convert.ToBase64String(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>At most 40 characters of <paramref name="text"/>, for messages.</summary>
    public static string Excerpt(string text)
    {
        if (text.Length <= 40)
        {
            return text;
        }

        // Never cut a surrogate pair in two: a lone surrogate cannot be stored (UTF-8 encoders refuse it).
        var cut = char.IsHighSurrogate(text[39]) ? 39 : 40;
        return text[..cut] + "…";
    }

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

}
