using System.Globalization;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// Strict evaluation: every path must resolve in the data. adaptivecards-templating would silently substitute the
/// literal text <c>${path}</c> for a missing value; strict mode refuses instead, so a template either renders exactly
/// as the reference does or not at all.
/// </summary>
internal static class ExpressionEvaluator
{
    public static object? Evaluate(Expr expr, EvaluationScope scope) => expr switch
    {
        ConstantExpr c => c.Value,
        PathExpr { Instance: null } p => ResolveName(p.Name, scope),
        PathExpr p => Member(Evaluate(p.Instance, scope), p.Name, p),
        IndexExpr i => Element(Evaluate(i.Instance, scope), Evaluate(i.Index, scope), i),
        CallExpr call => TemplateFunctions.Invoke(call.Name, call.Args, scope),
        OperatorExpr op => TemplateFunctions.Invoke(op.Function, op.Args, scope),
        _ => throw new InvalidOperationException("unknown expression node " + expr.GetType().Name),
    };

    private static object? ResolveName(string name, EvaluationScope scope)
    {
        switch (name)
        {
            case "$root":
                return scope.Root;
            case "$data":
                return scope.Data;
            case "$index":
                return scope.Index is { } index
                    ? (double)index
                    : throw new TemplateEvaluationException("$index is only defined inside an element whose $data is an array");
        }

        if (name.StartsWith('$'))
        {
            throw new TemplateEvaluationException($"'{name}' is not supported (reserved names: $root, $data, $index)");
        }

        return Member(scope.Data, name, new PathExpr(null, name));
    }

    private static object? Member(object? instance, string name, Expr path)
    {
        if (instance is not JsonObject obj)
        {
            throw new TemplateEvaluationException($"path '{path}' does not resolve: '{name}' is read from a {TemplateValue.TypeName(instance)}");
        }

        return TemplateValue.TryGetProperty(obj, name, out var value)
            ? value
            : throw new TemplateEvaluationException($"path '{path}' does not resolve in the data: no property '{name}'");
    }

    private static object? Element(object? instance, object? index, Expr path)
    {
        switch (instance, index)
        {
            case (JsonArray array, double d) when d == Math.Floor(d):
                return d >= 0 && d < array.Count
                    ? TemplateValue.FromNode(array[(int)d])
                    : throw new TemplateEvaluationException($"path '{path}' does not resolve: index {d.ToString(CultureInfo.InvariantCulture)} is out of range (count {array.Count})");
            case (JsonObject obj, string key):
                return TemplateValue.TryGetProperty(obj, key, out var value)
                    ? value
                    : throw new TemplateEvaluationException($"path '{path}' does not resolve in the data: no property '{key}'");
            default:
                throw new TemplateEvaluationException($"path '{path}' does not resolve: cannot index a {TemplateValue.TypeName(instance)} with a {TemplateValue.TypeName(index)}");
        }
    }
}
