using System.Net;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>Drives the console over HTTP like a browser without JavaScript: reads forms out of the HTML and posts them.</summary>
internal sealed partial class ConsoleClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task<HttpResponseMessage> SignInAsync(string personId)
    {
        var page = await http.GetStringAsync("/console/signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["person"] = personId,
            ["returnUrl"] = "/console/inbox",
        });
        return await http.PostAsync("/console/signin", form);
    }

    public async Task<string> InboxAsync()
    {
        using var response = await http.GetAsync("/console/inbox");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts what clicking the button with <paramref name="verb"/> on the first card of <paramref name="template"/> would post.</summary>
    public async Task<HttpResponseMessage> ClickAsync(string html, string template, string verb, IDictionary<string, string>? inputs = null, Func<string, string>? tamper = null)
    {
        var card = Card(html, template) ?? throw new InvalidOperationException($"No {template} card in the page:\n{html}");
        var action = WebUtility.HtmlDecode(ButtonValue(card, verb) ?? throw new InvalidOperationException($"No {verb} button on the {template} card."));
        return await PostActionAsync(tamper is null ? action : tamper(action), AntiforgeryToken(card), inputs);
    }

    public async Task<HttpResponseMessage> PostActionAsync(string action, string? antiforgeryToken, IDictionary<string, string>? inputs = null)
    {
        var form = new Dictionary<string, string> { ["action"] = action };
        if (antiforgeryToken is not null)
        {
            form["__RequestVerificationToken"] = antiforgeryToken;
        }

        foreach (var (key, value) in inputs ?? new Dictionary<string, string>())
        {
            form[key] = value;
        }

        using var content = new FormUrlEncodedContent(form);
        return await http.PostAsync("/console/actions", content);
    }

    public static string? Card(string html, string template) =>
        Regex.Match(html, "<article class=\"card\" data-card=\"" + Regex.Escape(template) + "\">.*?</article>", RegexOptions.Singleline) is { Success: true } m ? m.Value : null;

    public static int CardCount(string html, string template) => Regex.Count(html, "data-card=\"" + Regex.Escape(template) + "\"");

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No anti-forgery field in the page.");

    private static string? ButtonValue(string card, string verb) =>
        Regex.Match(card, "name=\"action\" value=\"([^\"]*)\" data-verb=\"" + Regex.Escape(verb) + "\"") is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => http.Dispose();
}
