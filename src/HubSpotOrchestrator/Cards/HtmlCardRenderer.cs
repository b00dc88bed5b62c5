using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// Renders an expanded card as semantic, escaped HTML for the web console. The card is one
/// <c>&lt;form method="post"&gt;</c>: each Action.Execute is a submit button named <c>action</c> whose value is the
/// JSON <c>{"verb":…, id, token}</c>, and inputs are form fields, so a post carries the action merged with the inputs
/// (the Teams Action.Submit shape).
/// </summary>
internal static partial class HtmlCardRenderer
{
    public static string Render(JsonObject card, string formAction, string name)
    {
        var sb = new StringBuilder();
        sb.Append("<article class=\"card\" data-card=\"").Append(Attr(name)).Append("\">\n");
        sb.Append("<form method=\"post\" action=\"").Append(Attr(formAction)).Append("\">\n");
        foreach (var element in Elements(card["body"]))
        {
            AppendElement(sb, element);
        }

        if (card["actions"] is JsonArray actions)
        {
            AppendActions(sb, actions);
        }

        sb.Append("</form>\n</article>\n");
        return sb.ToString();
    }

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static IEnumerable<JsonObject> Elements(JsonNode? list) => (list as JsonArray)?.OfType<JsonObject>() ?? [];

    private static void AppendElement(StringBuilder sb, JsonObject element)
    {
        switch (CardText.Of(element["type"]))
        {
            case "TextBlock":
                var text = Inline(CardText.Of(element["text"]) ?? string.Empty);
                if (CardText.Of(element["size"]) is "Large" or "ExtraLarge")
                {
                    sb.Append("<h2>").Append(text).Append("</h2>\n");
                }
                else
                {
                    var cls = IsTrue(element["isSubtle"]) ? " class=\"subtle\"" : string.Empty;
                    sb.Append("<p").Append(cls).Append('>').Append(text).Append("</p>\n");
                }

                break;
            case "FactSet":
                sb.Append("<dl>\n");
                foreach (var fact in Elements(element["facts"]))
                {
                    sb.Append("<dt>").Append(Inline(CardText.Of(fact["title"]) ?? string.Empty)).Append("</dt><dd>").Append(Inline(CardText.Of(fact["value"]) ?? string.Empty)).Append("</dd>\n");
                }

                sb.Append("</dl>\n");
                break;
            case "Image" when SafeUrl(CardText.Of(element["url"])) is { } src:
                sb.Append("<img src=\"").Append(Attr(src)).Append("\" alt=\"").Append(Attr(CardText.Of(element["altText"]) ?? string.Empty)).Append("\">\n");
                break;
            case "Container":
                sb.Append(IsTrue(element["separator"]) ? "<hr>\n<section>\n" : "<section>\n");
                foreach (var item in Elements(element["items"]))
                {
                    AppendElement(sb, item);
                }

                sb.Append("</section>\n");
                break;
            case "ColumnSet":
                sb.Append("<div class=\"columns\">\n");
                foreach (var column in Elements(element["columns"]))
                {
                    sb.Append("<div class=\"column\">\n");
                    foreach (var item in Elements(column["items"]))
                    {
                        AppendElement(sb, item);
                    }

                    sb.Append("</div>\n");
                }

                sb.Append("</div>\n");
                break;
            case "ActionSet":
                AppendActions(sb, element["actions"] as JsonArray ?? []);
                break;
            case "Input.Text":
                var id = CardText.Of(element["id"]) ?? "value";
                sb.Append("<label>").Append(Inline(CardText.Of(element["label"]) ?? id)).Append(" <input type=\"text\" name=\"").Append(Attr(id))
                    .Append("\" placeholder=\"").Append(Attr(CardText.Of(element["placeholder"]) ?? string.Empty)).Append("\"></label>\n");
                break;
            default:
                // Unknown or unsafe elements are left out of the console view rather than rendered raw.
                break;
        }
    }

    private static void AppendActions(StringBuilder sb, JsonArray actions)
    {
        sb.Append("<div class=\"actions\">\n");
        foreach (var action in actions.OfType<JsonObject>())
        {
            if (CardText.Of(action["type"]) == "Action.OpenUrl")
            {
                if (SafeUrl(CardText.Of(action["url"])) is { } href)
                {
                    sb.Append("<a class=\"button\" href=\"").Append(Attr(href)).Append("\">").Append(Html(CardText.Of(action["title"]) ?? "Open")).Append("</a>\n");
                }

                continue;
            }

            if (CardAction.From(action) is not { } parsed)
            {
                continue;
            }

            var payload = new JsonObject { ["verb"] = parsed.Verb };
            foreach (var (key, value) in parsed.Data)
            {
                payload[key] = value?.DeepClone();
            }

            sb.Append("<button type=\"submit\" name=\"action\" value=\"").Append(Attr(payload.ToJsonString())).Append("\" data-verb=\"").Append(Attr(parsed.Verb)).Append('"');
            foreach (var (key, value) in parsed.Data)
            {
                sb.Append(" data-").Append(Attr(KebabCase(key))).Append("=\"").Append(Attr(value is JsonValue v ? v.ToString() : value?.ToJsonString() ?? string.Empty)).Append('"');
            }

            if (parsed.Style is { } style)
            {
                sb.Append(" class=\"").Append(Attr(style)).Append('"');
            }

            sb.Append('>').Append(Html(parsed.Title)).Append("</button>\n");
        }

        sb.Append("</div>\n");
    }

    private static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : null;

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static string Attr(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Escapes first, then turns Adaptive Card **bold** into &lt;strong&gt;; no other markup survives.</summary>
    private static string Inline(string text) => BoldPattern().Replace(Html(text), "<strong>$1</strong>");

    private static string KebabCase(string key) => KebabPattern().Replace(key, "$1-$2").ToLowerInvariant();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldPattern();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabPattern();
}
