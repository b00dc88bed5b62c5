using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Rules;

public sealed class RulesOptions
{
    public const string Section = "Rules";

    /// <summary>Folder of RulesEngine workflow files (*.json).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "rules";

    /// <summary>Reload the rule set when a file in <see cref="Path"/> changes.</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>How long to wait for a burst of file changes to settle before reloading.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Deal stages (internal ids) that count as closed for <c>e.DealIsClosed</c>; add custom pipelines' closed stages here.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "An options class bound from configuration; the array and its configuration-binding semantics are its contract.")]
    public string[] ClosedDealStages { get; set; } = ["closedwon", "closedlost"];
}
