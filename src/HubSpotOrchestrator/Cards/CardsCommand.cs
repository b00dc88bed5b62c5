using System.Text.Encodings.Web;
using System.Text.Json;
using HubSpotOrchestrator.Cards.Templating;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// <c>cards lint [dir]</c> and <c>cards render &lt;template&gt; --data &lt;json&gt; [--channel teams|slack|html] [--form-action url]</c>.
/// Arguments start after the word "cards".
/// </summary>
public static class CardsCommand
{
    private const string Usage = "usage: cards lint [dir] | cards render <template.json> --data <data.json> [--channel teams|slack|html] [--form-action <url>]";

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Task.FromResult(args.FirstOrDefault() switch
        {
            "lint" when args.Length <= 2 => Lint(args.Length == 2 ? args[1] : "cards", stdout, stderr),
            "render" when args.Length >= 2 => Render(args[1], args[2..], stdout, stderr),
            _ => Fail(stderr, Usage, 2),
        });
    }

    private static int Lint(string directory, TextWriter stdout, TextWriter stderr)
    {
        var (templates, errors) = CardCatalog.LoadAll(directory);
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }

        if (errors.Count > 0)
        {
            stderr.WriteLine($"{errors.Count} card template error(s) in {directory}");
            return 1;
        }

        if (templates.Count == 0)
        {
            return Fail(stderr, $"{directory}: no card templates found", 1);
        }

        stdout.WriteLine($"{templates.Count} card template(s) OK in {directory}: {string.Join(", ", templates.Keys.Order(StringComparer.Ordinal))}");
        return 0;
    }

    private static int Render(string templateFile, string[] options, TextWriter stdout, TextWriter stderr)
    {
        string? dataFile = null;
        var channel = "teams";
        var formAction = "/console/cards/actions";
        for (var i = 0; i < options.Length; i++)
        {
            var value = i + 1 < options.Length ? options[i + 1] : null;
            switch (options[i])
            {
                case "--data" when value is not null:
                    dataFile = value;
                    i++;
                    break;
                case "--channel" when value is "teams" or "slack" or "html":
                    channel = value;
                    i++;
                    break;
                case "--form-action" when value is not null:
                    formAction = value;
                    i++;
                    break;
                default:
                    return Fail(stderr, $"unexpected argument '{options[i]}'. {Usage}", 2);
            }
        }

        if (dataFile is null)
        {
            return Fail(stderr, $"--data <json file> is required. {Usage}", 2);
        }

        try
        {
            var template = CompiledTemplate.Parse(File.ReadAllText(templateFile), templateFile);
            var card = template.ExpandCard(CardCatalog.ReadData(dataFile));
            var slackOverride = Path.Combine(Path.GetDirectoryName(templateFile) ?? ".", "slack", Path.GetFileName(templateFile));
            stdout.WriteLine(channel switch
            {
                "slack" when File.Exists(slackOverride) => CompiledTemplate.Parse(File.ReadAllText(slackOverride), slackOverride).ExpandCard(CardCatalog.ReadData(dataFile)).ToJsonString(Pretty),
                "slack" => SlackBlockKitTranslator.Translate(card, templateFile).ToJsonString(Pretty),
                "html" => HtmlCardRenderer.Render(card, formAction, Path.GetFileNameWithoutExtension(templateFile)),
                _ => card.ToJsonString(Pretty),
            });
            return 0;
        }
        catch (Exception ex) when (ex is CardTemplateException or CardRenderException or IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, ex.Message, 1);
        }
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine(message);
        return code;
    }
}
