using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// Translates an expanded Adaptive Card into Block Kit (reference/protocols.md §3.5). Element types without an
/// equivalent are refused; write cards/slack/&lt;name&gt;.json for those templates.
/// </summary>
internal static partial class SlackBlockKitTranslator
{
    // Slack limits: header text 150 chars, section text 3000, 10 fields per section, button value 2000 chars.
    private const int HeaderMax = 150;
    private const int FieldsPerSection = 10;
    private const int ButtonValueMax = 2000;

    public static JsonObject Translate(JsonObject card, string file)
    {
        var blocks = new JsonArray();
        string? fallbackText = null;
        foreach (var element in Elements(card["body"]))
        {
            AddElement(element, blocks, file, ref fallbackText);
        }

        if (card["actions"] is JsonArray actions)
        {
            AddActions(null, actions, blocks, file);
        }

        return new JsonObject { ["text"] = fallbackText ?? string.Empty, ["blocks"] = blocks };
    }

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static IEnumerable<JsonObject> Elements(JsonNode? list) => (list as JsonArray)?.OfType<JsonObject>() ?? [];

    private static void AddElement(JsonObject element, JsonArray blocks, string file, ref string? fallbackText)
    {
        var type = CardText.Of(element["type"]);
        switch (type)
        {
            case "TextBlock":
                var text = CardText.Of(element["text"]) ?? string.Empty;
                fallbackText ??= text;
                if (CardText.Of(element["size"]) is "Large" or "ExtraLarge")
                {
                    blocks.Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(Truncate(StripMarkdown(text), HeaderMax)) });
                }
                else
                {
                    var mrkdwn = ToMrkdwn(text);
                    blocks.Add(Section(CardText.Of(element["weight"]) == "Bolder" && !mrkdwn.StartsWith('*') ? "*" + mrkdwn + "*" : mrkdwn));
                }

                break;
            case "FactSet":
                var fields = Elements(element["facts"]).Select(f => (JsonNode)Mrkdwn($"*{ToMrkdwn(CardText.Of(f["title"]) ?? string.Empty)}*\n{ToMrkdwn(CardText.Of(f["value"]) ?? string.Empty)}")).ToList();
                foreach (var chunk in fields.Chunk(FieldsPerSection))
                {
                    blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray(chunk) });
                }

                break;
            case "Image":
                blocks.Add(new JsonObject { ["type"] = "image", ["image_url"] = CardText.Of(element["url"]), ["alt_text"] = CardText.Of(element["altText"]) ?? "image" });
                break;
            case "Container":
                if (IsTrue(element["separator"]))
                {
                    blocks.Add(new JsonObject { ["type"] = "divider" });
                }

                foreach (var item in Elements(element["items"]))
                {
                    AddElement(item, blocks, file, ref fallbackText);
                }

                break;
            case "ColumnSet":
                foreach (var item in Elements(element["columns"]).SelectMany(c => Elements(c["items"])))
                {
                    AddElement(item, blocks, file, ref fallbackText);
                }

                break;
            case "ActionSet":
                AddActions(CardText.Of(element["id"]), element["actions"] as JsonArray ?? [], blocks, file);
                break;
            case "Input.Text":
                blocks.Add(new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = CardText.Of(element["id"]),
                    ["label"] = PlainText(CardText.Of(element["label"]) ?? CardText.Of(element["id"]) ?? "Value"),
                    ["element"] = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = CardText.Of(element["id"]) },
                });
                break;
            default:
                throw new CardRenderException(file, $"element type '{type}' has no Block Kit translation; add cards/slack/<name>.json");
        }
    }

    private static void AddActions(string? blockId, JsonArray actions, JsonArray blocks, string file)
    {
        var elements = new JsonArray();
        foreach (var action in actions.OfType<JsonObject>())
        {
            if (CardText.Of(action["type"]) == "Action.OpenUrl")
            {
                elements.Add(new JsonObject { ["type"] = "button", ["text"] = PlainText(CardText.Of(action["title"]) ?? "Open"), ["action_id"] = "open-url-" + elements.Count, ["url"] = CardText.Of(action["url"]) });
                continue;
            }

            var parsed = CardAction.From(action) ?? throw new CardRenderException(file, $"action type '{CardText.Of(action["type"])}' has no Block Kit translation");
            var value = parsed.Data.ToJsonString();
            if (value.Length > ButtonValueMax)
            {
                throw new CardRenderException(file, $"the data of action '{parsed.Verb}' exceeds Slack's {ButtonValueMax}-character button value");
            }

            var button = new JsonObject { ["type"] = "button", ["text"] = PlainText(parsed.Title), ["action_id"] = parsed.Verb, ["value"] = value };
            if (parsed.Style switch { "positive" => "primary", "destructive" => "danger", _ => null } is { } style)
            {
                button["style"] = style;
            }

            elements.Add(button);
        }

        var block = new JsonObject { ["type"] = "actions" };
        if (blockId is not null)
        {
            block["block_id"] = blockId;
        }

        block["elements"] = elements;
        blocks.Add(block);
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Adaptive Card markdown **bold** is Slack mrkdwn *bold*; &amp; &lt; &gt; must be escaped for Slack.</summary>
    private static string ToMrkdwn(string text) =>
        BoldPattern().Replace(text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal), "*$1*");

    private static string StripMarkdown(string text) => BoldPattern().Replace(text, "$1");

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldPattern();
}
