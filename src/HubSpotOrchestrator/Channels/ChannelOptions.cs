using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Channels;

public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>Public address of the built-in console, linked from cards.</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string ConsoleBaseUrl { get; set; } = "http://localhost:3978";

    [Required(AllowEmptyStrings = false)]
    public string AppName { get; set; } = "HubSpot Orchestrator";
}

/// <summary>A card to show: a template in cards/ and its data.</summary>
public sealed record CardContent(string Template, System.Text.Json.Nodes.JsonObject Data);
