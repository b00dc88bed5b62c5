using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// The body of the synchronous answer to an <c>adaptiveCard/action</c> invoke (protocols.md §2.6). Send it with HTTP 200
/// whatever <see cref="StatusCode"/> says: clients show non-2xx HTTP answers as a generic failure (the Agents
/// Playground as a 502, §2.9), while an error body lets Teams show the message.
/// </summary>
public sealed record InvokeResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonNode? Value)
{
    public const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    /// <summary>Replaces the clicked card with <paramref name="card"/>.</summary>
    public static InvokeResponse AdaptiveCard(JsonNode card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new InvokeResponse(200, AdaptiveCardType, card.DeepClone());
    }

    /// <summary>Shows <paramref name="text"/> as a toast; the card stays as it is.</summary>
    public static InvokeResponse Message(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new InvokeResponse(200, MessageType, JsonValue.Create(text));
    }

    /// <summary>An error with <c>{code, message}</c>; <paramref name="statusCode"/> is 400 (bad request) or 500 (bot failure).</summary>
    public static InvokeResponse Error(int statusCode, string code, string message)
    {
        if (statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An error invoke response needs a 4xx or 5xx status code.");
        }

        return new InvokeResponse(statusCode, ErrorType, new JsonObject { ["code"] = code, ["message"] = message });
    }
}
