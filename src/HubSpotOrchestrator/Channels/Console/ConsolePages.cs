using System.Net;
using System.Text;
using HubSpotOrchestrator.People;
using Microsoft.AspNetCore.Antiforgery;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>The console's page chrome. Every value from outside is HTML-encoded here; card bodies come escaped from the renderer.</summary>
internal static class ConsolePages
{
    public static string SignIn(string appName, IReadOnlyList<Person> people, AntiforgeryTokenSet af, string returnUrl, string? signedInAs)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in</h1>\n<p class=\"lead\">Development sign-in: pick who you are from the people directory. Anyone can pick anyone, so this page only exists in the Development environment.</p>\n");
        if (signedInAs is not null)
        {
            body.Append("<p>You are signed in as <strong>").Append(E(signedInAs)).Append("</strong>. <a href=\"").Append(E(ConsoleSetup.InboxPath)).Append("\">Go to your inbox</a>.</p>\n");
        }

        body.Append("<form method=\"post\" action=\"").Append(E(ConsoleSetup.SignInPath)).Append("\" class=\"people\">\n").Append(Antiforgery(af))
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(E(returnUrl)).Append("\">\n<ul>\n");
        foreach (var person in people)
        {
            body.Append("<li><button type=\"submit\" name=\"person\" value=\"").Append(E(person.Id)).Append("\"><span class=\"name\">").Append(E(person.Name))
                .Append("</span> <span class=\"roles\">").Append(E(string.Join(", ", person.Roles))).Append("</span></button></li>\n");
        }

        body.Append("</ul>\n</form>\n");
        return Layout("Sign in", appName, null, null, body.ToString());
    }

    public static string SignInUnavailable(string appName, string environment) => Layout("Sign-in unavailable", appName, null, null,
        "<h1>Console sign-in is not available</h1>\n" +
        "<p>Signing in by picking a person from the directory is only available when the service runs in the Development environment " +
        "(<code>ASPNETCORE_ENVIRONMENT=Development</code>); this service runs as <strong>" + E(environment) + "</strong>.</p>\n" +
        "<p>Outside Development, decide approvals in Teams or Slack (configure the <code>Teams</code> or <code>Slack</code> settings), " +
        "or through the API (<code>/api/approvals</code>) with a bearer token from the <code>Auth:Authority</code> identity provider. " +
        "OpenID Connect sign-in for the console is not available yet.</p>\n");

    public static string Message(string appName, string title, string message, string? userName, AntiforgeryTokenSet? af, string? cardHtml = null) =>
        Layout(title, appName, userName, af,
            "<h1>" + E(title) + "</h1>\n<p>" + E(message) + "</p>\n" + (cardHtml ?? "") + "<p><a href=\"" + E(ConsoleSetup.InboxPath) + "\">Back to your inbox</a></p>\n");

    public static string Layout(string title, string appName, string? userName, AntiforgeryTokenSet? af, string body)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(title)).Append(" · ").Append(E(appName)).Append("</title>\n<link rel=\"stylesheet\" href=\"").Append(E(ConsoleSetup.StylesheetPath)).Append("\">\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"top\">\n<a class=\"brand\" href=\"").Append(E(ConsoleSetup.InboxPath)).Append("\">").Append(E(appName)).Append("</a>\n");
        if (userName is not null && af is not null)
        {
            sb.Append("<form method=\"post\" action=\"").Append(E(ConsoleSetup.SignOutPath)).Append("\" class=\"who\">\n").Append(Antiforgery(af))
                .Append("<span>Signed in as <strong>").Append(E(userName)).Append("</strong></span> <button type=\"submit\" class=\"link\">Sign out</button>\n</form>\n");
        }

        sb.Append("</header>\n<main id=\"main\">\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    public static string Antiforgery(AntiforgeryTokenSet af) =>
        "<input type=\"hidden\" name=\"" + E(af.FormFieldName) + "\" value=\"" + E(af.RequestToken ?? "") + "\">\n";

    public static string E(string text) => WebUtility.HtmlEncode(text);

    public const string Stylesheet = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0b5cad; --ok: #1a7f37; --bad: #cf222e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
        .top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
        .who { display: flex; align-items: center; gap: .5rem; margin: 0; color: var(--muted); }
        main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.5rem; margin: 1.5rem 0 .75rem; } h1 .count { color: var(--muted); font-weight: 400; }
        .lead, .empty, .subtle { color: var(--muted); }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
        .card h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
        .card dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
        .card dt { color: var(--muted); } .card dd { margin: 0; }
        .card label { display: block; margin: .5rem 0; } .card input[type=text] { width: 100%; padding: .4rem; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .75rem; }
        button, .button { font: inherit; padding: .45rem 1rem; border-radius: 6px; border: 1px solid var(--line); background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; }
        button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        button.positive { background: var(--ok); border-color: var(--ok); color: #fff; }
        button.destructive { background: #fff; border-color: var(--bad); color: var(--bad); }
        button.link { border: 0; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
        .flash { border-left: 4px solid var(--accent); background: #fff; padding: .75rem 1rem; margin: 0 0 1.5rem; border-radius: 4px; }
        .flash.ok { border-color: var(--ok); } .flash.refused { border-color: var(--bad); }
        .flash .card { margin: .75rem 0 0; border: 0; padding: 0; }
        .recent .card { background: #fbfcfd; }
        .people ul { list-style: none; padding: 0; display: grid; gap: .5rem; }
        .people button { width: 100%; text-align: left; display: flex; justify-content: space-between; }
        .people .roles { color: var(--muted); }
        code { background: #eff2f5; padding: 0 .25rem; border-radius: 4px; }
        """;
}
