namespace HubSpotOrchestrator.Rules;

/// <summary>
/// The rule workflows this service knows, as registered by the features that evaluate them. A file may only define
/// these: each needs a known input type to compile against, and rule files are privileged config, so nothing else
/// gets evaluated.
/// </summary>
internal sealed class RuleWorkflowCatalog
{
    public RuleWorkflowCatalog(IEnumerable<RuleWorkflowKind> kinds)
    {
        var byName = new Dictionary<string, RuleWorkflowKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!byName.TryAdd(kind.WorkflowName, kind))
            {
                throw new InvalidOperationException($"Rule workflow \"{kind.WorkflowName}\" is registered twice.");
            }
        }

        Kinds = byName;
    }

    public IReadOnlyDictionary<string, RuleWorkflowKind> Kinds { get; }
}
