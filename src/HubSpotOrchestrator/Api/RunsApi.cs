using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HubSpotOrchestrator.Api;

internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").RequireAuthorization(Policies.Reader).WithTags("Runs").RejectOverlongIds();
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        return app;
    }

    /// <summary>Runs, newest first. <c>subject</c> is "deal:9001" or just an object id.</summary>
    private static Results<Ok<PagedResult<Run>>, ProblemHttpResult> List(
        IRunStore runs, string? status, string? workflow, string? subject, DateTime? from, DateTime? to, int? page, int? pageSize)
    {
        RunStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) || int.TryParse(status, out _))
            {
                return TypedResults.Problem(title: "Invalid status", detail: $"'{status}' is not one of {string.Join(", ", Enum.GetNames<RunStatus>())}.", statusCode: 400);
            }

            parsedStatus = s;
        }

        string? subjectType = null;
        long? subjectId = null;
        if (!string.IsNullOrEmpty(subject))
        {
            var parts = subject.Split(':', 2);
            var idText = parts.Length == 2 ? parts[1] : parts[0];
            if (!long.TryParse(idText, out var id))
            {
                return TypedResults.Problem(title: "Invalid subject", detail: $"'{subject}' must be '<objectType>:<objectId>' or an object id, e.g. deal:9001.", statusCode: 400);
            }

            subjectType = parts.Length == 2 ? parts[0] : null;
            subjectId = id;
        }

        var size = pageSize ?? 50;
        if (size is < 1 or > 500 || page is < 1)
        {
            return TypedResults.Problem(title: "Invalid paging", detail: "page must be ≥ 1 and pageSize between 1 and 500.", statusCode: 400);
        }

        var query = new RunQuery(parsedStatus, workflow, subjectType, subjectId, from?.ToUniversalTime(), to?.ToUniversalTime(), page ?? 1, size);
        return TypedResults.Ok(runs.Query(query));
    }

    private static Results<Ok<Run>, ProblemHttpResult> Get(IRunStore runs, string id) =>
        runs.Get(id) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(title: "Run not found", detail: $"No run with id '{id}'.", statusCode: 404);
}
