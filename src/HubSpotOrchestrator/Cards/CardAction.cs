using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// A button on an expanded card: Action.Execute (verb + data) or its Action.Submit form (verb inside data).
/// The data carries only the record id and the server-issued token.
/// </summary>
internal sealed record CardAction(string Title, string Verb, JsonObject Data, string? Style)
{
    public static CardAction? From(JsonObject action)
    {
        var type = CardText.Of(action["type"]);
        var title = CardText.Of(action["title"]) ?? string.Empty;
        var data = action["data"] as JsonObject ?? [];
        return type switch
        {
            "Action.Execute" when CardText.Of(action["verb"]) is { } verb => new(title, verb, CopyWithout(data, null), CardText.Of(action["style"])),
            "Action.Submit" when CardText.Of(data["verb"]) is { } verb => new(title, verb, CopyWithout(data, "verb"), CardText.Of(action["style"])),
            _ => null,
        };
    }

    private static JsonObject CopyWithout(JsonObject data, string? without)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in data)
        {
            if (key != without)
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
