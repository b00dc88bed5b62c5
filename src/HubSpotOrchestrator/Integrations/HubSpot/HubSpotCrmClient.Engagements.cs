using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Notes and tasks, created at most once per idempotency key: the key travels with the engagement (a hidden
/// "hso-key:&lt;key&gt;" marker in the body, plus <see cref="HubSpotCrmOptions.IdempotencyProperty"/> if configured), and a
/// repeated call first lists the record's associated notes/tasks (v4 associations, which unlike search are not
/// eventually consistent) and returns the one carrying the key.
/// </summary>
internal sealed partial class HubSpotCrmClient
{
    internal const string MarkerPrefix = "hso-key:";

    public async Task<CrmEngagement> CreateNoteAsync(
        CrmRecordRef target, string bodyHtml, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var typeId = AssociationTypeId("notes", target);
        var marker = Marker(idempotencyKey);
        if (await FindEngagementAsync("notes", "hs_note_body", target, idempotencyKey, marker, cancellationToken) is { } existing)
        {
            return existing;
        }

        var properties = new JsonObject
        {
            ["hs_timestamp"] = EpochMs(time.GetUtcNow()),
            ["hs_note_body"] = WithMarker(bodyHtml, marker),
        };
        return await CreateEngagementAsync("notes", properties, target, typeId, idempotencyKey, cancellationToken);
    }

    public async Task<CrmEngagement> CreateTaskAsync(
        CrmRecordRef target, CrmTaskRequest task, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var typeId = AssociationTypeId("tasks", target);
        var marker = Marker(idempotencyKey);
        if (await FindEngagementAsync("tasks", "hs_task_body", target, idempotencyKey, marker, cancellationToken) is { } existing)
        {
            return existing;
        }

        var properties = new JsonObject
        {
            ["hs_timestamp"] = EpochMs(task.DueAt),
            ["hs_task_subject"] = task.Subject,
            ["hs_task_body"] = WithMarker(task.Body, marker),
            ["hs_task_status"] = task.Status,
            ["hs_task_priority"] = task.Priority,
        };
        if (task.OwnerId is not null)
        {
            properties["hubspot_owner_id"] = task.OwnerId;
        }

        return await CreateEngagementAsync("tasks", properties, target, typeId, idempotencyKey, cancellationToken);
    }

    private async Task<CrmEngagement> CreateEngagementAsync(
        string engagementType, JsonObject properties, CrmRecordRef target, int associationTypeId, string key, CancellationToken cancellationToken)
    {
        if (options.IdempotencyProperty is { Length: > 0 } keyProperty)
        {
            properties[keyProperty] = key;
        }

        // The association is part of the create, so no engagement can exist without the link the lookup relies on.
        var request = new JsonObject
        {
            ["properties"] = properties,
            ["associations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonObject { ["id"] = target.Id },
                ["types"] = CrmJson.AssociationTypes([CrmAssociationType.HubSpotDefined(associationTypeId)]),
            }),
        };
        var path = $"crm/v3/objects/{engagementType}";

        // A create that timed out may have succeeded, so only 429 is retried here; the caller's retry looks it up first.
        var body = await http.SendAsync(HttpMethod.Post, path, request, cancellationToken, safeToRepeat: false);
        var created = CrmJson.ToObject(Require(body, "POST", path), Endpoint("POST", path));
        return new CrmEngagement(created.Id, engagementType, Created: true);
    }

    private async Task<CrmEngagement?> FindEngagementAsync(
        string engagementType, string bodyProperty, CrmRecordRef target, string key, string marker, CancellationToken cancellationToken)
    {
        var basePath = $"crm/v4/objects/{Segment(target.ObjectType, nameof(target))}/{Segment(target.Id, nameof(target))}/associations/{engagementType}?limit=500";
        var ids = new List<string>();
        string? after = null;
        do
        {
            var path = after is null ? basePath : basePath + "&after=" + Uri.EscapeDataString(after);
            var page = Require(await http.SendAsync(HttpMethod.Get, path, null, cancellationToken), "GET", path);
            if (!page.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw HubSpotErrors.UnexpectedShape(Endpoint("GET", path), "no \"results\" array");
            }

            ids.AddRange(results.EnumerateArray()
                .Select(r => r.TryGetProperty("toObjectId", out var id) ? CrmJson.AsString(id) : null)
                .OfType<string>());
            after = CrmJson.NextAfter(page);
        }
        while (after is not null);

        if (ids.Count == 0)
        {
            return null;
        }

        var keyProperty = options.IdempotencyProperty is { Length: > 0 } p ? p : null;
        var properties = keyProperty is null ? new[] { bodyProperty } : [bodyProperty, keyProperty];
        var engagements = await BatchReadAsync(engagementType, ids, properties, cancellationToken);
        var match = engagements.FirstOrDefault(e =>
            (keyProperty is not null && e[keyProperty] == key) || ContainsMarker(e[bodyProperty], marker));
        return match is null ? null : new CrmEngagement(match.Id, engagementType, Created: false);
    }

    private static bool ContainsMarker(string? body, string marker)
    {
        if (body is null)
        {
            return false;
        }

        // The marker must end where the key ends, so "run-1:a" does not match "run-1:ab".
        var index = body.IndexOf(marker, StringComparison.Ordinal);
        while (index >= 0)
        {
            var end = index + marker.Length;
            if (end == body.Length || !KeyChar().IsMatch(body[end].ToString()))
            {
                return true;
            }

            index = body.IndexOf(marker, end, StringComparison.Ordinal);
        }

        return false;
    }

    private static string Marker(string key) =>
        !string.IsNullOrEmpty(key) && ValidKey().IsMatch(key)
            ? MarkerPrefix + key
            : throw new ArgumentException(
                $"Idempotency key '{key}' is invalid: use 1-200 letters, digits and . _ : / - (e.g. \"<runId>:<step>\").", nameof(key));

    private static string WithMarker(string bodyHtml, string marker) =>
        $"{bodyHtml}<span style=\"display:none\">{marker}</span>";

    private static string EpochMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>HubSpot-defined association type ids (HubSpot associations v4 docs): note→contact 202, note→company 190, ...</summary>
    private static int AssociationTypeId(string engagementType, CrmRecordRef target)
    {
        var recordType = target.ObjectType.ToLowerInvariant() switch
        {
            "contacts" or "contact" or "0-1" => "contacts",
            "companies" or "company" or "0-2" => "companies",
            "deals" or "deal" or "0-3" => "deals",
            "tickets" or "ticket" or "0-5" => "tickets",
            _ => throw new ArgumentException(
                $"Notes and tasks can be attached to contacts, companies, deals or tickets, not '{target.ObjectType}'.", nameof(target)),
        };
        return (engagementType, recordType) switch
        {
            ("notes", "contacts") => 202,
            ("notes", "companies") => 190,
            ("notes", "deals") => 214,
            ("notes", "tickets") => 228,
            ("tasks", "contacts") => 204,
            ("tasks", "companies") => 192,
            ("tasks", "deals") => 216,
            ("tasks", "tickets") => 230,
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,200}$")]
    private static partial Regex ValidKey();

    [GeneratedRegex("^[A-Za-z0-9._:/-]$")]
    private static partial Regex KeyChar();
}
