using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Api;

public sealed record CancelRequest(string? Reason);

/// <summary>Run operations (cancel, retry, replay), run steps, workflow pause/resume, and the audit log.</summary>
internal static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs/{id}").WithTags("Runs").RejectOverlongIds();
        runs.MapGet("/steps", (IRunEngineStore store, string id) => TypedResults.Ok(store.GetSteps(id))).RequireAuthorization(Policies.Reader);
        var ops = runs.MapGroup("").RequireAuthorization(Policies.Operator);
        ops.MapPost("/cancel", async (RunOperations o, HttpContext http, string id, CancelRequest? body, CancellationToken ct) =>
            ExceptionsApi.ToResult(await o.CancelRunAsync(id, ApiActor.Name(http.User), body?.Reason, ct)));
        ops.MapPost("/retry", (RunOperations o, HttpContext http, string id) => ExceptionsApi.ToResult(o.RetryRun(id, ApiActor.Name(http.User))));
        ops.MapPost("/replay", (RunOperations o, HttpContext http, string id) => ExceptionsApi.ToResult(o.ReplayRun(id, ApiActor.Name(http.User))));

        var workflows = app.MapGroup("/api/workflows/{name}").RequireAuthorization(Policies.Operator).WithTags("Workflows").RejectOverlongIds();
        workflows.MapPost("/pause", (RunOperations o, HttpContext http, string name) => ExceptionsApi.ToResult(o.SetPaused(name, true, ApiActor.Name(http.User))));
        workflows.MapPost("/resume", (RunOperations o, HttpContext http, string name) => ExceptionsApi.ToResult(o.SetPaused(name, false, ApiActor.Name(http.User))));

        var audit = app.MapGroup("/api/audit").RequireAuthorization(Policies.Reader).WithTags("Audit").RejectOverlongIds();
        audit.MapGet("/", (IAuditLog log, string? subject, int? limit) => TypedResults.Ok(log.Query(subject, Math.Clamp(limit ?? 100, 1, 1000))));
        audit.MapGet("/verify", (IAuditLog log) => TypedResults.Ok(log.Verify()));
        return app;
    }
}
