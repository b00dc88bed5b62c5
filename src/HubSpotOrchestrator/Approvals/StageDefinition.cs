using System.Text.Json;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// An approval stage declared by a policy rule's <c>Properties</c>:
/// <c>{ "order": 1, "roles": ["sales-vp"], "mode": "any", "due": "48h", "reminderEvery": "24h", "reminders": 1,
/// "escalateTo": "sales-director", "onExpiry": "escalate" }</c>.
/// </summary>
public sealed record StageDefinition(int Order, string Rule, IReadOnlyList<string> Roles, ApprovalMode Mode, TimeSpan Due,
    TimeSpan? ReminderEvery, int Reminders, string? EscalateTo, ExpiryOutcome OnExpiry)
{
    public static StageDefinition Parse(Rule rule, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var p = rule.Properties ?? [];
        var order = Int(p, "order", problems) ?? 0;
        var roles = Strings(p, "roles", problems);
        if (roles.Count == 0)
        {
            problems.Add("\"roles\" must list at least one role");
        }

        var mode = Text(p, "mode") ?? "any";
        if (!Enum.TryParse<ApprovalMode>(mode, ignoreCase: true, out var parsedMode))
        {
            problems.Add($"\"mode\" must be \"any\" or \"all\", not \"{mode}\"");
        }

        var due = Duration(p, "due", problems, required: true) ?? TimeSpan.FromDays(2);
        var reminderEvery = Duration(p, "reminderEvery", problems, required: false);
        var reminders = Int(p, "reminders", problems) ?? (reminderEvery is null ? 0 : 1);
        if (reminders > 0 && reminderEvery is null)
        {
            problems.Add("\"reminders\" needs \"reminderEvery\"");
        }

        var expiry = Text(p, "onExpiry") ?? "reject";
        if (!Enum.TryParse<ExpiryOutcome>(expiry, ignoreCase: true, out var onExpiry))
        {
            problems.Add($"\"onExpiry\" must be reject, escalate or approve, not \"{expiry}\"");
        }

        var escalateTo = Text(p, "escalateTo");
        if (onExpiry == ExpiryOutcome.Escalate && string.IsNullOrWhiteSpace(escalateTo))
        {
            problems.Add("\"onExpiry\": \"escalate\" needs \"escalateTo\" (a role)");
        }

        errors = problems;
        return new StageDefinition(order, rule.RuleName, roles, parsedMode, due, reminderEvery, reminders, escalateTo, onExpiry);
    }

    private static JsonElement? Value(Dictionary<string, object> p, string name) =>
        p.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value switch
        {
            JsonElement e => e,
            null => null,
            var other => JsonSerializer.SerializeToElement(other),
        };

    private static string? Text(Dictionary<string, object> p, string name) =>
        Value(p, name) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    private static int? Int(Dictionary<string, object> p, string name, List<string> problems)
    {
        var v = Value(p, name);
        if (v is null)
        {
            return null;
        }

        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out var n) && n >= 0)
        {
            return n;
        }

        problems.Add($"\"{name}\" must be a whole number ≥ 0");
        return null;
    }

    private static List<string> Strings(Dictionary<string, object> p, string name, List<string> problems)
    {
        var v = Value(p, name);
        if (v is { ValueKind: JsonValueKind.Array } array && array.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
        {
            return [.. array.EnumerateArray().Select(x => x.GetString()!)];
        }

        if (v is { ValueKind: JsonValueKind.String } single)
        {
            return [single.GetString()!];
        }

        if (v is not null)
        {
            problems.Add($"\"{name}\" must be a list of role names");
        }

        return [];
    }

    private static TimeSpan? Duration(Dictionary<string, object> p, string name, List<string> problems, bool required)
    {
        var text = Text(p, name);
        if (text is null)
        {
            if (required)
            {
                problems.Add($"\"{name}\" is required (e.g. \"48h\", \"5d\")");
            }

            return null;
        }

        if (Durations.TryParse(text, out var span))
        {
            return span;
        }

        problems.Add($"\"{name}\" \"{text}\" is not a duration like 90m, 48h, 5d");
        return null;
    }
}
