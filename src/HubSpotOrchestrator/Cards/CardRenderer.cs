using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards;

internal sealed class CardRenderer(CardCatalog catalog) : ICardRenderer
{
    // Adaptive Cards: refresh.userIds is limited to 5 (protocols.md §2.6).
    private const int MaxRefreshUsers = 5;

    public JsonObject RenderTeams(string templateName, JsonNode? data, TeamsCardOptions? options = null)
    {
        var template = catalog.Get(templateName);
        return ForTeams(template.Card.ExpandCard(data), options, template.File);
    }

    public JsonObject RenderSlack(string templateName, JsonNode? data)
    {
        var template = catalog.Get(templateName);
        return template.SlackOverride is { } slack
            ? slack.ExpandCard(data)
            : SlackBlockKitTranslator.Translate(template.Card.ExpandCard(data), template.File);
    }

    public string RenderHtml(string templateName, JsonNode? data, string formAction)
    {
        var template = catalog.Get(templateName);
        return HtmlCardRenderer.Render(template.Card.ExpandCard(data), formAction, template.Name);
    }

    internal static JsonObject ForTeams(JsonObject card, TeamsCardOptions? options, string file)
    {
        if (options?.RefreshUserIds is { Count: > 0 } users)
        {
            if (users.Count > MaxRefreshUsers)
            {
                throw new CardRenderException(file, $"refresh.userIds allows at most {MaxRefreshUsers} users, got {users.Count}");
            }

            var action = new JsonObject { ["type"] = "Action.Execute", ["verb"] = options.RefreshVerb };
            if (options.RefreshData is { } refreshData)
            {
                action["data"] = refreshData.DeepClone();
            }

            card["refresh"] = new JsonObject { ["action"] = action, ["userIds"] = new JsonArray([.. users.Select(u => (JsonNode)JsonValue.Create(u))]) };
        }

        return card;
    }
}
