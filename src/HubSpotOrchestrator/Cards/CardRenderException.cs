namespace HubSpotOrchestrator.Cards;

/// <summary>An expanded card that a channel cannot render; names the template file.</summary>
public sealed class CardRenderException(string file, string detail) : Exception($"{file}: {detail}")
{
    public string File { get; } = file;
}
