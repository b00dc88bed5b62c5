using System.Text;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>A person's console inbox: open approvals they can decide, open exceptions for ops and admins, and recent decisions.</summary>
internal sealed class ConsoleInbox(
    IApprovalStore approvals,
    IRunEngineStore engine,
    IPromptStore prompts,
    IPeopleDirectory directory,
    PromptCards cards,
    ICardRenderer renderer,
    IOptionsMonitor<ConsoleOptions> options,
    TimeProvider clock)
{
    private const int PendingLimit = 100;

    public string Body(string personId, FlashMessage? flash, AntiforgeryTokenSet af)
    {
        var person = directory.Find(personId);
        var sb = new StringBuilder();
        if (flash is not null)
        {
            AppendFlash(sb, flash, af);
        }

        if (person is null || !person.Active)
        {
            sb.Append("<h1>Not in the directory</h1>\n<p>").Append(ConsolePages.E(personId))
                .Append(" is not an active person in the people directory, so nothing can be decided from this sign-in. Sign out and pick someone else.</p>\n");
            return sb.ToString();
        }

        var pending = Pending(person);
        sb.Append("<section aria-labelledby=\"pending\">\n<h1 id=\"pending\">Waiting for you <span class=\"count\">(").Append(pending.Count).Append(")</span></h1>\n");
        AppendCards(sb, pending.Select(cards.ForApproval), af, "Nothing is waiting for your decision.");
        sb.Append("</section>\n");

        if (person.HasRole(People.Roles.Ops) || person.HasRole(People.Roles.Admin))
        {
            var open = engine.Exceptions(ExceptionStatus.Open, null, PendingLimit);
            sb.Append("<section aria-labelledby=\"exceptions\">\n<h1 id=\"exceptions\">Open exceptions <span class=\"count\">(").Append(open.Count).Append(")</span></h1>\n");
            AppendCards(sb, open.Select(cards.ForException), af, "No run needs attention.");
            sb.Append("</section>\n");
        }

        sb.Append("<section aria-labelledby=\"recent\" class=\"recent\">\n<h1 id=\"recent\">Recent decisions</h1>\n");
        AppendCards(sb, RecentlyDecided(person.Id).Select(cards.ForApproval), af, "No decided approvals yet.");
        sb.Append("</section>\n");
        return sb.ToString();
    }

    /// <summary>Open approvals whose current stage lists the person, or someone absent they stand in for.</summary>
    public IReadOnlyList<Approval> Pending(Person person) =>
        directory.ActingAs(person, clock.GetUtcNow()).Select(p => p.Id).Prepend(person.Id).Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(id => approvals.Query(ApprovalStatus.Pending, id, null, PendingLimit))
            .DistinctBy(a => a.Id)
            .OrderBy(a => a.CreatedAt)
            .ToList();

    /// <summary>Decided approvals the person was prompted about, newest decision first.</summary>
    public IReadOnlyList<Approval> RecentlyDecided(string personId) =>
        prompts.ForRecipient(personId, 500)
            .Select(p => p.ApprovalId)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(approvals.Get)
            .OfType<Approval>()
            .Where(a => !a.IsOpen)
            .OrderByDescending(a => a.DecidedAt ?? a.CreatedAt)
            .Take(options.CurrentValue.RecentDecisions)
            .ToList();

    /// <summary>The card an action left behind: the current state of what was clicked, or a notice for a refusal.</summary>
    public CardContent ResultCard(FlashMessage flash)
    {
        if (flash.Status is ChatActionStatus.Recorded or ChatActionStatus.AlreadyDecided or ChatActionStatus.Invalid)
        {
            if (flash.ApprovalId is not null && approvals.Get(flash.ApprovalId) is { } approval)
            {
                return cards.ForApproval(approval);
            }

            if (flash.ExceptionId is not null && engine.GetException(flash.ExceptionId) is { } exception)
            {
                return cards.ForException(exception);
            }
        }

        return cards.Notice(flash.Status == ChatActionStatus.NotFound ? "Not found" : "Not allowed", flash.Message);
    }

    public string Render(CardContent card, AntiforgeryTokenSet af)
    {
        var html = renderer.RenderHtml(card.Template, card.Data, ConsoleSetup.ActionsPath);
        // The renderer knows nothing of ASP.NET Core antiforgery; each of its forms gets the request token as its first field.
        var formTag = "<form method=\"post\" action=\"" + ConsolePages.E(ConsoleSetup.ActionsPath) + "\">\n";
        return html.Replace(formTag, formTag + ConsolePages.Antiforgery(af), StringComparison.Ordinal);
    }

    private void AppendFlash(StringBuilder sb, FlashMessage flash, AntiforgeryTokenSet af)
    {
        var kind = flash.Status == ChatActionStatus.Recorded ? "ok" : flash.Status is ChatActionStatus.NotAllowed or ChatActionStatus.TamperedToken ? "refused" : "info";
        sb.Append("<div class=\"flash ").Append(kind).Append("\" role=\"status\">\n<p><strong>").Append(ConsolePages.E(Label(flash.Status))).Append(":</strong> ")
            .Append(ConsolePages.E(flash.Message)).Append("</p>\n").Append(Render(ResultCard(flash), af)).Append("</div>\n");
    }

    private void AppendCards(StringBuilder sb, IEnumerable<CardContent> contents, AntiforgeryTokenSet af, string empty)
    {
        var any = false;
        foreach (var content in contents)
        {
            sb.Append(Render(content, af));
            any = true;
        }

        if (!any)
        {
            sb.Append("<p class=\"empty\">").Append(ConsolePages.E(empty)).Append("</p>\n");
        }
    }

    private static string Label(ChatActionStatus status) => status switch
    {
        ChatActionStatus.Recorded => "Done",
        ChatActionStatus.AlreadyDecided => "Already decided",
        ChatActionStatus.NotAllowed => "Not allowed",
        ChatActionStatus.NotFound => "Not found",
        ChatActionStatus.TamperedToken => "Refused",
        _ => "Not done",
    };
}
