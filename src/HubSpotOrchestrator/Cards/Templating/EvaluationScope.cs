namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>The adaptivecards-templating evaluation context: <c>$root</c>, the current <c>$data</c>, <c>$index</c> inside a repeat.</summary>
internal sealed record EvaluationScope(object? Root, object? Data, int? Index)
{
    public static EvaluationScope ForRoot(object? root) => new(root, root, null);
}
