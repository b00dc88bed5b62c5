using System.Collections.Concurrent;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>
/// A workflow for engine tests: steps "first" and "second" record each execution as "{runId}:{step}"; "first" then waits
/// at <see cref="Gate"/> (open unless the workflow is gated), honouring cancellation, so a test can hold a run in a step.
/// </summary>
public sealed class RecordingWorkflow(bool gated = false) : IWorkflow
{
    public const string WorkflowName = "Recording";

    public string Name => WorkflowName;

    public IReadOnlyList<WorkflowStep> Steps => [new("first", FirstAsync), new("second", SecondAsync)];

    public ConcurrentQueue<string> Executions { get; } = new();

    /// <summary>Runs whose "first" step was cancelled while it waited at the gate.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>Completed when a "first" step starts.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where "first" waits; set it to let the step finish.</summary>
    public TaskCompletionSource Gate { get; } = Opened(!gated);

    /// <summary>A run of this workflow as routing would create it (not stored, not started); runs for one subject go one at a time.</summary>
    public static Run NewRun(string id, DateTime now, long subjectId = 4242) => new()
    {
        Id = id,
        Workflow = WorkflowName,
        Status = RunStatus.Pending,
        SubjectType = "deal",
        SubjectId = subjectId,
        PortalId = 62515,
        CorrelationId = "test-" + id,
        EventKey = "test",
        RuleSetVersion = "test",
        OccurredAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static TaskCompletionSource Opened(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private async Task<StepResult> FirstAsync(StepContext ctx, CancellationToken ct)
    {
        Executions.Enqueue(ctx.Run.Id + ":first");
        Entered.TrySetResult();
        try
        {
            await Gate.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Cancelled.Enqueue(ctx.Run.Id);
            throw;
        }

        return StepResult.Completed();
    }

    private Task<StepResult> SecondAsync(StepContext ctx, CancellationToken ct)
    {
        Executions.Enqueue(ctx.Run.Id + ":second");
        return Task.FromResult(StepResult.Completed());
    }
}

/// <summary>The service on a fake clock (see <see cref="ProcurementApp"/>) with <see cref="RecordingWorkflow"/> registered.</summary>
public sealed class RecordingApp(bool gated = false, string? dataDir = null) : ProcurementApp(dataDir: dataDir)
{
    public RecordingWorkflow Workflow { get; } = new(gated);

    /// <summary>Stores a new run of the recording workflow and starts it as routing would.</summary>
    public Run StartRecording()
    {
        var run = RecordingWorkflow.NewRun("run_" + Guid.NewGuid().ToString("N")[..20], Clock.GetUtcNow().UtcDateTime);
        Service<IRunStore>().TryCreate(run);
        Service<IRunStarter>().Start(run.Id);
        return run;
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        base.ConfigureTestServices(services);
        services.AddSingleton<IWorkflow>(Workflow);
    }
}
