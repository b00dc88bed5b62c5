using System.Text.Json.Nodes;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// A card template parsed once (every <c>${…}</c> checked for syntax and known functions) and expandable many times,
/// with the semantics of adaptivecards-templating 2.3.1 <c>Template.expand({ $root: data })</c> in strict mode.
/// Thread-safe: expansion does not mutate the template.
/// </summary>
internal sealed class CompiledTemplate
{
    private readonly Node _root;

    private CompiledTemplate(string file, Node root)
    {
        File = file;
        _root = root;
    }

    public string File { get; }

    public static CompiledTemplate Compile(JsonNode? template, string file) => new(file, Node.Compile(template, "", file));

    public static CompiledTemplate Parse(string json, string file)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new CardTemplateException(file, "", "not valid JSON: " + ex.Message);
        }

        // A lone surrogate escape or invalid UTF-8 parses, but throws where the string is read; refused here with the property.
        if (SafeJson.Validate(json, subject: "the template", lenient: true) is { } problem)
        {
            throw new CardTemplateException(file, "", problem);
        }

        if (!SafeJson.IsReadable(node))
        {
            throw new CardTemplateException(file, "", "the template has the same property name twice in one object");
        }

        return Compile(node, file);
    }

    /// <summary>Expands the template against <paramref name="data"/> (bound as <c>$root</c>).</summary>
    public JsonNode? Expand(JsonNode? data)
    {
        if (!SafeJson.IsReadable(data))
        {
            throw new CardTemplateException(File, "", "the data cannot be read: it holds a lone surrogate or invalid UTF-8, or the same property name twice");
        }

        var value = TemplateValue.FromNode(data);
        return _root.Expand(EvaluationScope.ForRoot(value), File);
    }

    /// <summary>Expands and requires an object (an Adaptive Card) as the result.</summary>
    public JsonObject ExpandCard(JsonNode? data) =>
        Expand(data) as JsonObject ?? throw new CardTemplateException(File, "", "the template did not expand to a JSON object (check the root $when/$data)");

    internal static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
