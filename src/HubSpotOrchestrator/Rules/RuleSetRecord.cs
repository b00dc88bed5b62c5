namespace HubSpotOrchestrator.Rules;

/// <summary>A rule set that was activated at some point; decisions name it by <see cref="Version"/>.</summary>
public sealed class RuleSetRecord
{
    public string Id { get; set; } = "";
    public string Version { get; set; } = "";
    public DateTime ActivatedAt { get; set; }
    public Dictionary<string, string> Files { get; set; } = [];
}
