using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HubSpotOrchestrator.Api;

public sealed record FixRequest(string? Reason, string? Name, string? Value);

internal static class ExceptionsApi
{
    public static IEndpointRouteBuilder MapExceptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/exceptions").RequireAuthorization(Policies.Reader).WithTags("Exceptions").RejectOverlongIds();
        group.MapGet("/", (IRunEngineStore store, string? status, string? run, int? limit) =>
        {
            ExceptionStatus? parsed = status is null ? null : Enum.TryParse<ExceptionStatus>(status, true, out var s) ? s : ExceptionStatus.Open;
            return TypedResults.Ok(store.Exceptions(parsed, run, Math.Clamp(limit ?? 50, 1, 500)));
        });
        group.MapGet("/{id}", Results<Ok<ExceptionRecord>, ProblemHttpResult> (IRunEngineStore store, string id) =>
            store.GetException(id) is { } record ? TypedResults.Ok(record) : TypedResults.Problem(title: "Exception not found", detail: $"No exception with id '{id}'.", statusCode: 404));

        var fixes = group.MapGroup("/{id}").RequireAuthorization(Policies.Operator);
        fixes.MapPost("/retry", (RunOperations ops, HttpContext http, string id) => ToResult(ops.Fix(id, ApiActor.Name(http.User), "retry", null, null, null, "api")));
        fixes.MapPost("/skip", (RunOperations ops, HttpContext http, string id, FixRequest body) => ToResult(ops.Fix(id, ApiActor.Name(http.User), "skip", body.Reason, null, null, "api")));
        fixes.MapPost("/supply", (RunOperations ops, HttpContext http, string id, FixRequest body) => ToResult(ops.Fix(id, ApiActor.Name(http.User), "supply", body.Reason, body.Name, body.Value, "api")));
        fixes.MapPost("/cancel", (RunOperations ops, HttpContext http, string id, FixRequest? body) => ToResult(ops.Fix(id, ApiActor.Name(http.User), "cancel", body?.Reason, null, null, "api")));
        return app;
    }

    public static Results<Ok<OperationResult>, ProblemHttpResult> ToResult(OperationResult result) => result.Status switch
    {
        OperationStatus.Done => TypedResults.Ok(result),
        OperationStatus.NotFound => TypedResults.Problem(title: "Not found", detail: result.Message, statusCode: 404),
        OperationStatus.Invalid => TypedResults.Problem(title: "Invalid request", detail: result.Message, statusCode: 400),
        _ => TypedResults.Problem(title: "Conflict", detail: result.Message, statusCode: 409),
    };
}
