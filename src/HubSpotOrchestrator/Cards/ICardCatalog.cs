namespace HubSpotOrchestrator.Cards;

/// <summary>The card templates loaded from Cards:Path at start, each validated against its sample data.</summary>
public interface ICardCatalog
{
    IReadOnlyCollection<string> Names { get; }

    bool Contains(string templateName);
}
