using System.Text.Json;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>A business workflow: C# code, an ordered list of named steps.</summary>
public interface IWorkflow
{
    string Name { get; }

    IReadOnlyList<WorkflowStep> Steps { get; }

    /// <summary>
    /// A newer run for the same record supersedes an older one that is waiting (e.g. a deal's amount changed
    /// while its approval was pending); otherwise newer runs queue behind older ones.
    /// </summary>
    bool NewerRunSupersedesWaiting => false;

    /// <summary>Called when a waiting run is superseded, so the workflow can cancel what it waits for.</summary>
    Task OnSupersededAsync(Run run, Run newer, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Called when a run is cancelled (by a person or by supersession), so the workflow can withdraw what it opened.</summary>
    Task OnCancelledAsync(Run run, string actor, string reason, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// One step. It must be re-entrant: it can run again after a crash between its effect and its checkpoint,
/// so external effects use <see cref="StepContext.IdempotencyKey"/> or set target values.
/// </summary>
public sealed record WorkflowStep(string Name, Func<StepContext, CancellationToken, Task<StepResult>> Execute);

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1034:Nested types should not be visible", Justification = "A closed set of results made by StepResult's factory methods and matched as StepResult.XxxResult; nesting keeps the union in one place.")]
public abstract record StepResult
{
    /// <summary>Done; <paramref name="output"/> (any JSON-serialisable value) is checkpointed with the step.</summary>
    public static StepResult Completed(object? output = null) => new CompletedResult(output is null ? null : JsonSerializer.Serialize(output, JsonSerializerOptions.Web));

    /// <summary>Suspend the run until <paramref name="waitingFor"/> resumes it (no worker blocks).</summary>
    public static StepResult Wait(string waitingFor) => new WaitResult(waitingFor);

    /// <summary>A failure retrying cannot fix (e.g. a data-quality violation): the run waits for a person.</summary>
    public static StepResult Fail(string kind, string error, string? suggestedFix = null, string? missingValue = null) =>
        new FailResult(kind, error, suggestedFix, missingValue);

    /// <summary>The run ends here as a success (e.g. nothing to approve); later steps are skipped.</summary>
    public static StepResult Finish(string reason, object? output = null) =>
        new FinishResult(reason, output is null ? null : JsonSerializer.Serialize(output, JsonSerializerOptions.Web));

    public sealed record CompletedResult(string? Output) : StepResult;

    public sealed record WaitResult(string WaitingFor) : StepResult;

    public sealed record FailResult(string Kind, string Error, string? SuggestedFix, string? MissingValue) : StepResult;

    public sealed record FinishResult(string Reason, string? Output) : StepResult;
}

/// <summary>What a step sees: its run, the outputs of earlier steps, supplied values, the idempotency key.</summary>
public sealed class StepContext(Run run, RunStep step, IServiceProvider services, TimeProvider clock)
{
    public Run Run { get; } = run;

    public RunStep Step { get; } = step;

    public IServiceProvider Services { get; } = services;

    public TimeProvider Clock { get; } = clock;

    /// <summary>Stable across attempts of this step: "{runId}:{step}".</summary>
    public string IdempotencyKey => $"{Run.Id}:{Step.Name}";

    public T Output<T>(string stepName) =>
        Run.Data.TryGetValue("step:" + stepName, out var json)
            ? JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!
            : throw new InvalidOperationException($"Step '{stepName}' has no output in run {Run.Id}.");

    /// <summary>A value an operator supplied through an exception fix, if any.</summary>
    public string? Supplied(string name) => Run.Data.TryGetValue("supplied:" + name, out var v) ? v : null;

    /// <summary>Workflow state that later steps (and re-entries of this one) read back.</summary>
    public void Set(string key, string value) => Run.Data["state:" + key] = value;

    public string? Get(string key) => Run.Data.TryGetValue("state:" + key, out var v) ? v : null;
}
