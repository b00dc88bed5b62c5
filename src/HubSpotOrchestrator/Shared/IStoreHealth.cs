namespace HubSpotOrchestrator.Shared;

public interface IStoreHealth
{
    /// <summary>Writes and reads back a probe document; throws when the store is not writable.</summary>
    void Probe(DateTime at);
}
