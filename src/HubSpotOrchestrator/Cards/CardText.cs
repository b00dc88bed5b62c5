using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// The text of a field of an expanded card. The data decides what a binding produces, so a field meant to be text may
/// come out a number, a boolean, an object or an array: numbers and booleans read as their JSON text, anything else as
/// absent. A card with odd data renders; it never throws.
/// </summary>
internal static class CardText
{
    public static string? Of(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;
}
