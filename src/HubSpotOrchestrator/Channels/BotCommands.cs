using System.Globalization;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels;

/// <summary>
/// What people ask the bot, in every channel: <c>status &lt;run id | record id | name&gt;</c>, <c>pending</c>,
/// <c>runs [failed | today | &lt;workflow&gt;]</c>, <c>help</c>. Answers are cards. Only people in the directory get
/// answers; open exceptions are listed for ops and admins only.
/// </summary>
public sealed class BotCommands(IRunStore runs, IRunEngineStore engine, IApprovalStore approvals, PromptCards cards, IOptions<ChannelOptions> options, TimeProvider clock)
{
    public static readonly (string Usage, string Description)[] Commands =
    [
        ("status <run id | record id | deal name>", "Show the latest run for a record, or one run"),
        ("pending", "List approvals (and, for ops, exceptions) waiting for you"),
        ("runs [failed | today | <workflow>]", "List recent runs"),
        ("help", "Show this list"),
    ];

    public CardContent Handle(Person? person, string text)
    {
        var words = (text ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var verb = words.Length == 0 ? "help" : words[0].ToLowerInvariant();
        var argument = words.Length > 1 ? words[1] : "";
        if (verb == "help" || verb == "?")
        {
            return Help();
        }

        if (person is null || !person.Active)
        {
            return cards.Notice("Who are you?", "You are not in the people directory, so the bot cannot show you runs or approvals. Ask an admin to add you (config/directory.json).");
        }

        return verb switch
        {
            "status" => Status(argument),
            "pending" => Pending(person),
            "runs" => Runs(argument),
            _ => cards.Notice($"Unknown command '{verb}'", "Try: " + string.Join(" · ", Commands.Select(c => c.Usage))),
        };
    }

    public CardContent Welcome(Person? person) => new("welcome", new JsonObject
    {
        ["userName"] = person?.Name.Split(' ')[0] ?? "there",
        ["appName"] = options.Value.AppName,
        ["role"] = person is null ? "not in the directory" : string.Join(", ", person.Roles),
        ["consoleUrl"] = options.Value.ConsoleBaseUrl,
    });

    public CardContent Help() => new("help", new JsonObject
    {
        ["appName"] = options.Value.AppName,
        ["consoleUrl"] = options.Value.ConsoleBaseUrl,
        ["commands"] = new JsonArray([.. Commands.Select(c => (JsonNode)new JsonObject { ["usage"] = c.Usage, ["description"] = c.Description })]),
    });

    private CardContent Status(string argument)
    {
        if (argument.Length == 0)
        {
            return cards.Notice("Status of what?", "Give a run id (run_…), a HubSpot record id, or a deal name: status Acme");
        }

        Run? run = null;
        if (argument.StartsWith("run_", StringComparison.OrdinalIgnoreCase))
        {
            run = runs.Get(argument);
        }
        else if (long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var recordId))
        {
            var latest = runs.Query(new RunQuery(SubjectId: recordId, PageSize: 1)).Items;
            run = latest.Count > 0 ? latest[0] : null;
        }
        else
        {
            var match = approvals.Query(null, null, null, 500).FirstOrDefault(a =>
                a.DealName.Contains(argument, StringComparison.OrdinalIgnoreCase) || (a.CompanyName?.Contains(argument, StringComparison.OrdinalIgnoreCase) ?? false));
            run = match is null ? null : runs.Get(match.RunId);
        }

        if (run is null)
        {
            return cards.Notice("Nothing found", $"No run matches '{argument}'.");
        }

        return new CardContent("run-status", new JsonObject
        {
            ["runId"] = run.Id,
            ["status"] = run.Status == RunStatus.Waiting && run.WaitingFor?.StartsWith("approval:", StringComparison.Ordinal) == true ? "WaitingForApproval" : run.Status.ToString(),
            ["workflow"] = run.Workflow,
            ["startedAt"] = run.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["recordType"] = run.SubjectType,
            ["recordId"] = run.SubjectId.ToString(CultureInfo.InvariantCulture),
            ["steps"] = new JsonArray([.. engine.GetSteps(run.Id).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["status"] = s.Status.ToString() })]),
        });
    }

    private CardContent Runs(string argument)
    {
        var filter = argument.ToLowerInvariant();
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var query = filter switch
        {
            "" => new RunQuery(PageSize: 10),
            "failed" => new RunQuery(Status: RunStatus.Failed, PageSize: 10),
            "today" => new RunQuery(From: today, PageSize: 10),
            _ => new RunQuery(Workflow: WorkflowNames.All.FirstOrDefault(w => w.Equals(argument, StringComparison.OrdinalIgnoreCase)) ?? argument, PageSize: 10),
        };
        var page = runs.Query(query);
        if (page.Items.Count == 0)
        {
            return cards.Notice("No runs", argument.Length == 0 ? "No runs yet." : $"No runs for '{argument}'.");
        }

        return new CardContent("run-list", new JsonObject
        {
            ["runs"] = new JsonArray([.. page.Items.Select(r => (JsonNode)new JsonObject { ["runId"] = r.Id, ["workflow"] = r.Workflow, ["status"] = r.Status.ToString() })]),
        });
    }

    private CardContent Pending(Person person)
    {
        var items = approvals.Query(ApprovalStatus.Pending, person.Id, null, 50)
            .Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["title"] = $"{a.Stages[a.CurrentStage].Rule}: {a.DealName}",
                ["kindLabel"] = "Approval",
                ["dueAt"] = a.Stages[a.CurrentStage].DueAt?.ToString("O", CultureInfo.InvariantCulture),
            }).ToList();
        if (person.HasRole("ops") || person.HasRole("admin"))
        {
            items.AddRange(engine.Exceptions(ExceptionStatus.Open, null, 50).Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id,
                ["title"] = $"{e.Workflow} / {e.Step}: {e.Error}",
                ["kindLabel"] = "Exception",
                ["dueAt"] = e.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            }));
        }

        return items.Count == 0
            ? cards.Notice("Nothing pending", "Nothing is waiting for you.")
            : new CardContent("pending-list", new JsonObject { ["consoleUrl"] = options.Value.ConsoleBaseUrl, ["items"] = new JsonArray([.. items]) });
    }
}
