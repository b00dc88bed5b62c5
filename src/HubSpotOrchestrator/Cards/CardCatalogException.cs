
namespace HubSpotOrchestrator.Cards;

/// <summary>The catalog refused to load: one line per failing template, naming file and JSON pointer.</summary>
public sealed class CardCatalogException(string directory, IReadOnlyList<string> errors)
    : Exception($"Card templates in '{directory}' failed validation:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
