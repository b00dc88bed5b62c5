using System.Text.Json.Nodes;
using HubSpotOrchestrator.Cards.Templating;

namespace HubSpotOrchestrator.Cards;

/// <summary>A loaded template (cards/&lt;Name&gt;.json), its sample data, and an optional hand-written Slack override.</summary>
internal sealed record CardTemplate(string Name, string File, CompiledTemplate Card, JsonNode? SampleData, CompiledTemplate? SlackOverride);
