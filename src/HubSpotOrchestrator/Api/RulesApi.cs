using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HubSpotOrchestrator.Api;

public sealed record RuleFileView(string Name, IReadOnlyList<string> Workflows, IReadOnlyList<string> Rules);

public sealed record RulesView(string ActiveVersion, DateTime LoadedAt, string Directory, IReadOnlyList<RuleFileView> Files, DateTime? LastAttemptAt, IReadOnlyList<string> LastReloadErrors);

internal static class RulesApi
{
    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rules").RequireAuthorization(Policies.Reader).WithTags("Rules").RejectOverlongIds();
        group.MapGet("/", Get);
        return app;
    }

    private static Ok<RulesView> Get(RuleSetProvider provider)
    {
        var set = provider.Current;
        var files = set.Files.Keys.Select(file =>
        {
            var workflows = set.Workflows.Values.Where(w => set.WorkflowFiles[w.WorkflowName] == file).ToList();
            return new RuleFileView(file, [.. workflows.Select(w => w.WorkflowName)], [.. workflows.SelectMany(w => w.Rules ?? []).Select(r => r.RuleName)]);
        }).ToList();
        return TypedResults.Ok(new RulesView(set.Version, set.LoadedAt, set.Directory, files, provider.LastAttemptAt, [.. provider.LastErrors.Select(e => e.ToString())]));
    }
}
