using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HubSpotOrchestrator.Shared;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Rules;

/// <summary>
/// Reads every <c>*.json</c> in a folder, validates and compiles it into a new RulesEngine, and warms it up.
/// It never touches the active set: the caller swaps only a set that loaded without errors.
/// </summary>
internal static class RuleSetLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly ReSettings Settings = new()
    {
        // Rule files are privileged config: no custom types beyond what System.Linq.Dynamic.Core allows.
        CustomTypes = [],
        EnableExceptionAsErrorMessage = true,
        IgnoreException = false,
    };

    public static async Task<RuleSetLoadResult> LoadAsync(string directory, DateTime now, RuleWorkflowCatalog catalog, CancellationToken ct = default)
    {
        var errors = new List<RuleError>();
        var fullDir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullDir))
        {
            return Fail(new RuleError(fullDir, null, null, "rules folder does not exist (set Rules:Path)"));
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.EnumerateFiles(fullDir, "*.json"))
        {
            files[Path.GetFileName(path)] = await File.ReadAllTextAsync(path, ct);
        }

        if (files.Count == 0)
        {
            return Fail(new RuleError(fullDir, null, null, "no *.json rule files found"));
        }

        var workflows = new Dictionary<string, Workflow>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in files)
        {
            foreach (var workflow in ParseFile(name, text, errors))
            {
                if (string.IsNullOrWhiteSpace(workflow.WorkflowName))
                {
                    errors.Add(new RuleError(name, null, null, "a workflow has no \"WorkflowName\""));
                }
                else if (!catalog.Kinds.TryGetValue(workflow.WorkflowName, out var kind))
                {
                    errors.Add(new RuleError(name, null, LineOf(text, workflow.WorkflowName), $"unknown workflow \"{workflow.WorkflowName}\"; this service evaluates only: {string.Join(", ", catalog.Kinds.Keys)}"));
                }
                else if (fileOf.TryGetValue(workflow.WorkflowName, out var other))
                {
                    errors.Add(new RuleError(name, null, LineOf(text, workflow.WorkflowName), $"workflow \"{workflow.WorkflowName}\" is already defined in {other}"));
                }
                else
                {
                    foreach (var (rule, message) in kind.Validate(workflow))
                    {
                        errors.Add(new RuleError(name, rule, rule is null ? null : LineOf(text, rule), message));
                    }

                    workflows[workflow.WorkflowName] = workflow;
                    fileOf[workflow.WorkflowName] = name;
                }
            }
        }

        foreach (var kind in catalog.Kinds.Values.Where(k => !workflows.ContainsKey(k.WorkflowName)))
        {
            errors.Add(new RuleError(fullDir, null, null, $"workflow \"{kind.WorkflowName}\" is missing; every rule set must define it"));
        }

        if (errors.Count > 0)
        {
            return new RuleSetLoadResult(null, errors);
        }

        RulesEngine.RulesEngine engine;
        try
        {
            engine = new RulesEngine.RulesEngine([.. workflows.Values], Settings);
        }
        catch (Exception ex) when (ex is RulesEngine.Exceptions.RuleValidationException or ArgumentException or FluentValidation.ValidationException)
        {
            return Fail(new RuleError(fullDir, null, null, ex.Message));
        }

        // Warm-up: RulesEngine compiles on first execution; doing it here surfaces expression errors before the swap.
        foreach (var (workflowName, workflow) in workflows)
        {
            var kind = catalog.Kinds[workflowName];
            var file = fileOf[workflowName];
            List<RuleResultTree> results;
            try
            {
                results = await engine.ExecuteAllRulesAsync(workflowName, [new RuleParameter(kind.InputName, kind.SampleInput())], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                errors.Add(new RuleError(file, null, null, ex.Message));
                continue;
            }

            foreach (var result in Flatten(results).Where(r => !string.IsNullOrEmpty(r.ExceptionMessage)))
            {
                errors.Add(new RuleError(file, result.Rule.RuleName, LineOf(files[file], result.Rule.RuleName), result.ExceptionMessage));
            }
        }

        if (errors.Count > 0)
        {
            return new RuleSetLoadResult(null, errors);
        }

        var version = ComputeVersion(files);
        return new RuleSetLoadResult(new RuleSet(version, fullDir, files, workflows, fileOf, engine, now), []);

        RuleSetLoadResult Fail(RuleError error) => new(null, [error]);
    }

    /// <summary>Content hash over file names and bytes, so any edit (or rename) is a new version.</summary>
    public static string ComputeVersion(IReadOnlyDictionary<string, string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(text));
            sha.AppendData([0]);
        }

        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static IEnumerable<RuleResultTree> Flatten(IEnumerable<RuleResultTree> results) =>
        results.SelectMany(r => new[] { r }.Concat(Flatten(r.ChildResults ?? [])));

    private static List<Workflow> ParseFile(string name, string text, List<RuleError> errors)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

            // A lone surrogate escape parses, then throws wherever the string is read (a role name in a policy rule).
            if (SafeJson.Validate(text, subject: "the file", lenient: true) is { } problem)
            {
                errors.Add(new RuleError(name, null, null, problem));
                return [];
            }

            switch (doc.RootElement.ValueKind)
            {
                case JsonValueKind.Array:
                    return doc.RootElement.Deserialize<List<Workflow>>(Json) ?? [];
                case JsonValueKind.Object:
                    return [doc.RootElement.Deserialize<Workflow>(Json)!];
                default:
                    errors.Add(new RuleError(name, null, 1, "expected a workflow object or an array of workflows"));
                    return [];
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new RuleError(name, null, ex.LineNumber is { } l ? (int)l + 1 : null, "invalid JSON: " + ex.Message));
            return [];
        }
    }

    /// <summary>The 1-based line where <paramref name="name"/> first appears as a JSON string value.</summary>
    private static int? LineOf(string text, string name)
    {
        var needle = "\"" + name + "\"";
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        return index < 0 ? null : text.AsSpan(0, index).Count('\n') + 1;
    }
}
