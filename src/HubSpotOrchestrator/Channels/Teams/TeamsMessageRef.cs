namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Where a posted Teams message lives; stored in prompt deliveries as <c>serviceUrl|conversationId|activityId</c>.</summary>
public sealed record TeamsMessageRef(string ServiceUrl, string ConversationId, string ActivityId)
{
    public override string ToString() => $"{ServiceUrl}|{ConversationId}|{ActivityId}";

    /// <summary>Null when <paramref name="text"/> is not three non-empty parts (serviceUrls never contain '|'; the activity id is last).</summary>
    public static TeamsMessageRef? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var first = text.IndexOf('|', StringComparison.Ordinal);
        var last = text.LastIndexOf('|');
        if (first <= 0 || last <= first + 1 || last == text.Length - 1)
        {
            return null;
        }

        return new TeamsMessageRef(text[..first], text[(first + 1)..last], text[(last + 1)..]);
    }
}
