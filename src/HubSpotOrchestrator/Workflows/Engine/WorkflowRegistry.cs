namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>The workflows that have an implementation; runs of others stay Pending and say so.</summary>
public sealed class WorkflowRegistry(IEnumerable<IWorkflow> workflows)
{
    private readonly Dictionary<string, IWorkflow> _byName = workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);

    public bool TryGet(string name, out IWorkflow workflow) => _byName.TryGetValue(name, out workflow!);

    public IEnumerable<string> Names => _byName.Keys;
}
