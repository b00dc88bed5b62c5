using RulesEngine.Models;

namespace HubSpotOrchestrator.Rules;

/// <summary>
/// What one RulesEngine workflow in <c>rules/</c> takes as input and what else it must satisfy. The feature that
/// evaluates the workflow defines its kind and registers it (<c>services.AddSingleton(kind)</c>).
/// </summary>
public sealed record RuleWorkflowKind(
    string WorkflowName,
    string InputName,
    Type InputType,
    Func<object> SampleInput,
    Func<Workflow, IEnumerable<(string? Rule, string Message)>> Validate);
