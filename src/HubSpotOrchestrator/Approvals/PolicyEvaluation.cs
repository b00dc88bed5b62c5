namespace HubSpotOrchestrator.Approvals;

/// <summary>What an approval policy decided for one subject: the stages to pass, and the rules and input that decided it.</summary>
public sealed record PolicyEvaluation(string RuleSetVersion, IReadOnlyList<string> FiredRules, IReadOnlyDictionary<string, string> Input, IReadOnlyList<StageDefinition> Stages);
