using System.Text.Json;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>A conversation member as Teams returns it from <c>GET …/members/{userId}</c>.</summary>
public sealed record TeamsMember
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadObjectId { get; init; }

    public string? Email { get; init; }

    public string? UserPrincipalName { get; init; }

    public string? GivenName { get; init; }

    public string? Surname { get; init; }

    public string? TenantId { get; init; }
}

/// <summary>The answer to <c>POST {serviceUrl}/v3/conversations</c>.</summary>
public sealed record ConversationResourceResponse
{
    public string? Id { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ActivityId { get; init; }
}

internal sealed record ResourceResponse
{
    public string? Id { get; init; }
}

/// <summary>Builders for the activities the bot sends.</summary>
public static class OutgoingActivity
{
    public static Activity Text(string text) => new() { Type = ActivityTypes.Message, Text = text };

    /// <summary>A message carrying one Adaptive Card and nothing else; the Agents Playground splits text + card into two messages without ids (protocols.md §2.9).</summary>
    public static Activity AdaptiveCard(JsonNode card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new Activity
        {
            Type = ActivityTypes.Message,
            Attachments = [new Attachment { ContentType = Attachment.AdaptiveCardContentType, Content = JsonSerializer.SerializeToElement(card) }],
        };
    }
}
