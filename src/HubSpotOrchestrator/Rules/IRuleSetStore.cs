namespace HubSpotOrchestrator.Rules;

public interface IRuleSetStore
{
    void RecordActivation(RuleSetRecord record);

    RuleSetRecord? Get(string version);
}
