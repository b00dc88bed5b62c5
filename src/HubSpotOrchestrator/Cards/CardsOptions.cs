using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Cards;

public sealed class CardsOptions
{
    public const string Section = "Cards";

    /// <summary>Folder with the templates (relative to the content root, or absolute).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "cards";
}
