using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HubSpotOrchestrator.Api;

public sealed record DecisionRequest(string Decision, string? Comment);

internal static class ApprovalsApi
{
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/approvals").RequireAuthorization(Policies.Reader).WithTags("Approvals").RejectOverlongIds();
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapPost("/{id}/decision", Decide);
        return app;
    }

    /// <summary>Approvals, newest first; <c>mine=true</c> lists the ones waiting for the caller.</summary>
    private static Results<Ok<IReadOnlyList<Approval>>, ProblemHttpResult> List(IApprovalStore store, IPeopleDirectory directory, HttpContext http, string? status, bool? mine, long? deal, int? limit)
    {
        ApprovalStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<ApprovalStatus>(status, true, out var s) || int.TryParse(status, out _))
            {
                return TypedResults.Problem(title: "Invalid status", detail: $"'{status}' is not one of {string.Join(", ", Enum.GetNames<ApprovalStatus>())}.", statusCode: 400);
            }

            parsed = s;
        }

        string? approver = null;
        if (mine == true)
        {
            approver = ApiActor.Person(http.User, directory)?.Id
                ?? "\u0000"; // nobody: the caller is not in the directory
        }

        return TypedResults.Ok(store.Query(parsed, approver, deal, Math.Clamp(limit ?? 50, 1, 500)));
    }

    private static Results<Ok<Approval>, ProblemHttpResult> Get(IApprovalStore store, string id) =>
        store.Get(id) is { } approval ? TypedResults.Ok(approval) : TypedResults.Problem(title: "Approval not found", detail: $"No approval with id '{id}'.", statusCode: 404);

    private static Results<Ok<DecisionOutcome>, ProblemHttpResult> Decide(ApprovalService approvals, IPeopleDirectory directory, HttpContext http, string id, DecisionRequest request)
    {
        var person = ApiActor.Person(http.User, directory);
        var actor = person?.Id ?? ApiActor.Name(http.User);
        var outcome = approvals.Decide(id, actor, request.Decision ?? "", request.Comment, "api");
        return outcome.Kind switch
        {
            DecisionOutcomeKind.Recorded => TypedResults.Ok(outcome),
            DecisionOutcomeKind.NotFound => TypedResults.Problem(title: "Approval not found", detail: outcome.Message, statusCode: 404),
            DecisionOutcomeKind.Invalid => TypedResults.Problem(title: "Invalid decision", detail: outcome.Message, statusCode: 400),
            DecisionOutcomeKind.NotAllowed => TypedResults.Problem(title: "Not allowed", detail: outcome.Message, statusCode: 403),
            _ => TypedResults.Problem(title: "Already decided", detail: outcome.Message, statusCode: 409),
        };
    }
}
