using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// The writes the loopback HubSpot received, counted per object and per idempotency key: deal updates (PATCH of a deal,
/// or an input of a batch update) and notes (POST of a note, keyed by the "hso-key:" marker the service puts in the
/// body). A Procurement Approval run writes its outcome once and one note, so any count above one is a duplicate.
/// </summary>
public sealed partial class HubSpotWrites
{
    private HubSpotWrites(Dictionary<string, int> dealUpdates, Dictionary<string, int> notesByKey, Dictionary<string, int> notesByDeal)
    {
        DealUpdates = dealUpdates;
        NotesByKey = notesByKey;
        NotesByDeal = notesByDeal;
    }

    public IReadOnlyDictionary<string, int> DealUpdates { get; }

    public IReadOnlyDictionary<string, int> NotesByKey { get; }

    public IReadOnlyDictionary<string, int> NotesByDeal { get; }

    public IReadOnlyList<string> Duplicates =>
    [
        .. DealUpdates.Where(d => d.Value > 1).Select(d => $"deal {d.Key} updated {d.Value}×"),
        .. NotesByKey.Where(n => n.Value > 1).Select(n => $"note key {n.Key} created {n.Value}×"),
        .. NotesByDeal.Where(n => n.Value > 1).Select(n => $"deal {n.Key} got {n.Value} notes"),
    ];

    public string Summary() =>
        $"{DealUpdates.Values.Sum()} deal updates on {DealUpdates.Count} deals, {NotesByKey.Values.Sum()} notes for {NotesByKey.Count} keys; duplicates: {Duplicates.Count}";

    /// <summary>Deals among <paramref name="deals"/> without an outcome written (when their run says it succeeded).</summary>
    public IReadOnlyList<long> WithoutWriteBack(IEnumerable<long> deals) =>
        [.. deals.Where(d => !DealUpdates.ContainsKey(d.ToString(CultureInfo.InvariantCulture)))];

    public static HubSpotWrites Count(FakeHubSpotServer hubspot)
    {
        var dealUpdates = new Dictionary<string, int>(StringComparer.Ordinal);
        var notesByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var notesByDeal = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in hubspot.Requests)
        {
            if (request.Method == "PATCH" && request.Path.StartsWith("/crm/v3/objects/deals/", StringComparison.Ordinal))
            {
                Add(dealUpdates, request.Path.Split('/')[^1]);
            }
            else if (request.Method == "POST" && request.Path == "/crm/v3/objects/deals/batch/update")
            {
                foreach (var input in JsonNode.Parse(request.Body)?["inputs"]?.AsArray() ?? [])
                {
                    Add(dealUpdates, input?["id"]?.ToString() ?? "?");
                }
            }
            else if (request.Method == "POST" && request.Path == "/crm/v3/objects/notes")
            {
                var body = JsonNode.Parse(request.Body);
                var text = body?["properties"]?["hs_note_body"]?.ToString() ?? "";
                var key = Marker().Match(text) is { Success: true } match ? match.Groups[1].Value : "(no key)";
                Add(notesByKey, key);
                Add(notesByDeal, body?["associations"]?[0]?["to"]?["id"]?.ToString() ?? "?");
            }
        }

        return new HubSpotWrites(dealUpdates, notesByKey, notesByDeal);
    }

    private static void Add(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    [GeneratedRegex("hso-key:([A-Za-z0-9._:/-]+)")]
    private static partial Regex Marker();
}
