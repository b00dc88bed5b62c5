using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Api;

/// <summary>
/// Bounds what the API takes from the URL before a handler passes it to a store: a route value or query value (an id,
/// a subject, a workflow name) longer than <see cref="SafeJson.MaxIdLength"/> is a 400 problem, never a lookup or an
/// audit entry keyed by it (store indexes limit their keys; LiteDB's to 1,023 bytes).
/// </summary>
internal static class ApiInput
{
    public static TBuilder RejectOverlongIds<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var problem = request.RouteValues.Select(r => SafeJson.IdProblem(r.Key, r.Value as string)).FirstOrDefault(p => p is not null)
                ?? request.Query.Select(q => SafeJson.IdProblem(q.Key, q.Value.ToString())).FirstOrDefault(p => p is not null);
            return problem is null
                ? await next(context)
                : TypedResults.Problem(title: "Invalid request", detail: problem + ".", statusCode: StatusCodes.Status400BadRequest);
        });
}
