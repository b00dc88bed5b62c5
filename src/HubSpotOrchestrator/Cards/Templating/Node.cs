using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>One prepared template value (adaptivecards-templating <c>Template.prepare</c>) and its JSON pointer.</summary>
internal abstract class Node(string pointer)
{
    // adaptivecards-templating EvaluationContext._reservedFields: never copied to the output.
    private static readonly HashSet<string> Reserved = ["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"];

    public string Pointer { get; } = pointer;

    public abstract JsonNode? Expand(EvaluationScope scope, string file);

    public static Node Compile(JsonNode? json, string pointer, string file)
    {
        switch (json)
        {
            case JsonArray array:
                return new ArrayNode(pointer, array.Select((item, i) => Compile(item, pointer + "/" + i, file)).ToList());
            case JsonObject obj:
                Node? when = null;
                Node? data = null;
                var props = new List<(string, Node)>();
                foreach (var (key, value) in obj)
                {
                    var child = Compile(value, pointer + "/" + CompiledTemplate.Escape(key), file);
                    if (key == "$when")
                    {
                        when = child is BindingNode ? child : throw new CardTemplateException(file, child.Pointer, "$when must be a ${…} binding");
                    }
                    else if (key == "$data")
                    {
                        data = child is BindingNode ? child : throw new CardTemplateException(file, child.Pointer, "$data must be a ${…} binding");
                    }
                    else if (key is "$host" or "$root" or "$index" or "$_acTemplateVersion")
                    {
                        throw new CardTemplateException(file, child.Pointer, $"'{key}' is reserved and cannot be used as a property");
                    }
                    else if (!Reserved.Contains(key))
                    {
                        props.Add((key, child));
                    }
                }

                return new ObjectNode(pointer, props, when, data);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                try
                {
                    return TemplateString.Parse(text) is { } parsed ? new BindingNode(pointer, parsed) : new LiteralNode(pointer, v);
                }
                catch (TemplateSyntaxException ex)
                {
                    throw new CardTemplateException(file, pointer, ex.Message);
                }

            default:
                return new LiteralNode(pointer, json);
        }
    }

    protected CardTemplateException Fail(string file, string message) => new(file, Pointer, message);
}

internal sealed class LiteralNode(string pointer, JsonNode? value) : Node(pointer)
{
    public override JsonNode? Expand(EvaluationScope scope, string file) => value?.DeepClone();
}

internal sealed class BindingNode(string pointer, TemplateString template) : Node(pointer)
{
    public override JsonNode? Expand(EvaluationScope scope, string file) => TemplateValue.ToNode(Evaluate(scope, file, "binding"));

    /// <summary>Evaluates to a value: the typed value of a whole binding, otherwise the concatenated string.</summary>
    public object? Evaluate(EvaluationScope scope, string file, string role)
    {
        try
        {
            if (template.Whole is { } whole)
            {
                return ExpressionEvaluator.Evaluate(whole, scope)
                    ?? throw new TemplateEvaluationException($"{role} ${{{whole}}} evaluated to null");
            }

            return string.Concat(template.Parts.Select(p => p is Expr e
                ? TemplateValue.ToJsString(ExpressionEvaluator.Evaluate(e, scope), "${" + e + "}")
                : (string)p));
        }
        catch (TemplateEvaluationException ex)
        {
            throw Fail(file, ex.Message);
        }
    }
}

internal sealed class ArrayNode(string pointer, List<Node> items) : Node(pointer)
{
    public override JsonNode? Expand(EvaluationScope scope, string file)
    {
        var result = new JsonArray();
        foreach (var item in items)
        {
            // adaptivecards-templating internalExpand: null items are dropped, array results are spliced in.
            switch (item.Expand(scope, file))
            {
                case null:
                    break;
                case JsonArray spliced:
                    foreach (var element in spliced.ToList())
                    {
                        spliced.Remove(element);
                        result.Add(element);
                    }

                    break;
                case var node:
                    result.Add(node);
                    break;
            }
        }

        return result;
    }
}

internal sealed class ObjectNode(string pointer, List<(string Key, Node Value)> props, Node? when, Node? data) : Node(pointer)
{
    public override JsonNode? Expand(EvaluationScope scope, string file)
    {
        var contexts = new List<EvaluationScope>();
        switch (data)
        {
            case null:
                contexts.Add(scope);
                break;
            case BindingNode binding:
                AddContexts(binding.Evaluate(scope, file, "$data"));
                break;
        }

        var results = new List<JsonObject>();
        foreach (var itemScope in contexts)
        {
            if (when is BindingNode condition)
            {
                var value = condition.Evaluate(itemScope, file, "$when");
                if (value is not bool keep)
                {
                    throw new CardTemplateException(file, condition.Pointer, $"$when must evaluate to true or false, got a {TemplateValue.TypeName(value)}");
                }

                if (!keep)
                {
                    continue;
                }
            }

            var obj = new JsonObject();
            foreach (var (key, value) in props)
            {
                obj[key] = value.Expand(itemScope, file);
            }

            results.Add(obj);
        }

        return results.Count switch
        {
            0 => null,
            1 => results[0],
            _ => new JsonArray([.. results]),
        };

        void AddContexts(object? value)
        {
            if (value is JsonArray array)
            {
                contexts.AddRange(array.Select((item, i) => scope with { Data = TemplateValue.FromNode(item), Index = i }));
            }
            else
            {
                contexts.Add(scope with { Data = value ?? throw Fail(file, "$data evaluated to null") });
            }
        }
    }
}
