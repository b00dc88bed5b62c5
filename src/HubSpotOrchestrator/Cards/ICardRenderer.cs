using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards;

/// <summary>One template, three renderings. <paramref name="templateName"/> is the file name without .json.</summary>
public interface ICardRenderer
{
    /// <summary>The expanded Adaptive Card 1.5 JSON for Teams (Action.Execute in ActionSets, Action.Submit fallback).</summary>
    JsonObject RenderTeams(string templateName, JsonNode? data, TeamsCardOptions? options = null);

    /// <summary>A Slack message payload <c>{ "text", "blocks" }</c>: cards/slack/&lt;name&gt;.json when present, else the translation.</summary>
    JsonObject RenderSlack(string templateName, JsonNode? data);

    /// <summary>Escaped HTML for the console; buttons post to <paramref name="formAction"/>.</summary>
    string RenderHtml(string templateName, JsonNode? data, string formAction);
}
