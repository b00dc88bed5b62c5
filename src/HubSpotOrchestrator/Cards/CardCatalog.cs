using System.Text.Json.Nodes;
using HubSpotOrchestrator.Cards.Templating;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// Loads every cards/&lt;name&gt;.json with cards/&lt;name&gt;.data.json beside it (and cards/slack/&lt;name&gt;.json when
/// present), and expands each in strict mode with the sample data. Any failure stops the load with the file and
/// JSON pointer of the offending element.
/// </summary>
internal sealed class CardCatalog : ICardCatalog
{
    public const string DataSuffix = ".data.json";

    private readonly Dictionary<string, CardTemplate> _templates;

    private CardCatalog(Dictionary<string, CardTemplate> templates) => _templates = templates;

    public IReadOnlyCollection<string> Names => _templates.Keys;

    public bool Contains(string templateName) => _templates.ContainsKey(templateName);

    internal CardTemplate Get(string templateName) =>
        _templates.TryGetValue(templateName, out var template)
            ? template
            : throw new KeyNotFoundException($"no card template '{templateName}' (known: {string.Join(", ", _templates.Keys.Order(StringComparer.Ordinal))})");

    /// <summary>Loads and validates; throws <see cref="CardCatalogException"/> listing every failing file and pointer.</summary>
    public static CardCatalog Load(string directory)
    {
        var (templates, errors) = LoadAll(directory);
        return errors.Count == 0 ? new CardCatalog(templates) : throw new CardCatalogException(directory, errors);
    }

    /// <summary>Loads every template it can and reports all errors (for <c>cards lint</c>).</summary>
    public static (Dictionary<string, CardTemplate> Templates, List<string> Errors) LoadAll(string directory)
    {
        var templates = new Dictionary<string, CardTemplate>(StringComparer.Ordinal);
        var errors = new List<string>();
        if (!Directory.Exists(directory))
        {
            errors.Add($"{directory}: card template folder not found (Cards:Path)");
            return (templates, errors);
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Where(f => !f.EndsWith(DataSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            try
            {
                var template = LoadOne(file);
                templates[template.Name] = template;
            }
            catch (Exception ex) when (ex is CardTemplateException or CardRenderException or IOException)
            {
                errors.Add(ex.Message);
            }
        }

        var slackDir = Path.Combine(directory, "slack");
        if (Directory.Exists(slackDir))
        {
            foreach (var orphan in Directory.EnumerateFiles(slackDir, "*.json").Where(f => !templates.ContainsKey(Path.GetFileNameWithoutExtension(f))))
            {
                errors.Add($"{orphan}: Slack override without a template {Path.GetFileName(orphan)} beside it");
            }
        }

        return (templates, errors);
    }

    public static CardTemplate LoadOne(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var card = CompiledTemplate.Parse(File.ReadAllText(file), file);
        var dataFile = Path.Combine(Path.GetDirectoryName(file) ?? ".", name + DataSuffix);
        if (!File.Exists(dataFile))
        {
            throw new CardTemplateException(file, "", $"sample data {Path.GetFileName(dataFile)} is missing beside the template");
        }

        var data = ReadData(dataFile);
        var expanded = card.ExpandCard(data);
        var slackFile = Path.Combine(Path.GetDirectoryName(file) ?? ".", "slack", name + ".json");
        CompiledTemplate? slack = null;
        if (File.Exists(slackFile))
        {
            slack = CompiledTemplate.Parse(File.ReadAllText(slackFile), slackFile);
            slack.ExpandCard(data);
        }
        else
        {
            SlackBlockKitTranslator.Translate(expanded, file);
        }

        return new CardTemplate(name, file, card, data, slack);
    }

    public static JsonNode? ReadData(string dataFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(dataFile));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new CardTemplateException(dataFile, "", "not valid JSON: " + ex.Message);
        }
    }
}
