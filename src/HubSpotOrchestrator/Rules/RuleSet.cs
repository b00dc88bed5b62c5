namespace HubSpotOrchestrator.Rules;

/// <summary>A validated, compiled and warmed rule set. Immutable: a change builds a new one.</summary>
internal sealed class RuleSet(string version, string directory, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, RulesEngine.Models.Workflow> workflows, IReadOnlyDictionary<string, string> workflowFiles, RulesEngine.RulesEngine engine, DateTime loadedAt)
{
    /// <summary>Content hash of every file in the folder, e.g. <c>sha256:1f2e…</c>.</summary>
    public string Version { get; } = version;

    public string Directory { get; } = directory;

    /// <summary>File name → content, as loaded.</summary>
    public IReadOnlyDictionary<string, string> Files { get; } = files;

    public IReadOnlyDictionary<string, RulesEngine.Models.Workflow> Workflows { get; } = workflows;

    /// <summary>Workflow name → the file that defines it.</summary>
    public IReadOnlyDictionary<string, string> WorkflowFiles { get; } = workflowFiles;

    public RulesEngine.RulesEngine Engine { get; } = engine;

    public DateTime LoadedAt { get; } = loadedAt;
}

/// <summary>One problem with a rule file: file, rule (when known), line (1-based, when known) and message.</summary>
public sealed record RuleError(string File, string? Rule, int? Line, string Message)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return Rule is null ? $"{where}: {Message}" : $"{where}: rule \"{Rule}\": {Message}";
    }
}

internal sealed record RuleSetLoadResult(RuleSet? RuleSet, IReadOnlyList<RuleError> Errors)
{
    public bool Succeeded => RuleSet is not null && Errors.Count == 0;
}
