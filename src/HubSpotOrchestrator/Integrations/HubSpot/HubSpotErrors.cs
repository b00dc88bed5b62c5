using System.Net;
using System.Text.Json;
using HubSpotOrchestrator.Channels.Teams;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>Turns HubSpot failures into <see cref="IntegrationException"/>s the run engine can act on.</summary>
internal static class HubSpotErrors
{
    public const string System = "HubSpot";

    public static IntegrationException NotConfigured() => new(
        System, FailureKind.Configuration, "HubSpot is not configured",
        "Set HubSpot:AccessToken (private app token) or HubSpot:OAuth:ClientId/ClientSecret/RefreshToken");

    public static IntegrationException FromResponse(
        HubSpotCrmOptions options, string endpoint, HttpResponseMessage response, string body, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        var hubSpotMessage = MessageFrom(body);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return new(System, FailureKind.Permanent, $"{endpoint}: not found in HubSpot (the record may have been deleted or merged). {hubSpotMessage}".TrimEnd(), statusCode: status);
            case HttpStatusCode.Unauthorized:
            case HttpStatusCode.Forbidden:
                var fix = options.UsesOAuth
                    ? "Check HubSpot:OAuth:ClientId/ClientSecret/RefreshToken and that the app is installed with the required CRM scopes"
                    : "Set HubSpot:AccessToken to a valid private app token that has the required CRM scopes";
                var what = response.StatusCode == HttpStatusCode.Unauthorized ? "rejected the credentials" : "denied access (missing scope?)";
                return new(System, FailureKind.Configuration, $"{endpoint}: HubSpot {what}: {hubSpotMessage}", fix, status);
            case HttpStatusCode.TooManyRequests:
            case >= HttpStatusCode.InternalServerError:
            case HttpStatusCode.RequestTimeout:
                return new(System, FailureKind.Transient, $"{endpoint}: HubSpot answered {status} and retries are exhausted. {hubSpotMessage}".TrimEnd(),
                    statusCode: status, retryAfter: RetryAfter(response, time));
            default:
                // 400 (invalid property, bad value), 409 (conflict), 415, ...: repeating the same request cannot succeed.
                return new(System, FailureKind.Permanent, $"{endpoint}: HubSpot rejected the request ({status}): {hubSpotMessage}", statusCode: status);
        }
    }

    public static IntegrationException MalformedJson(string endpoint, JsonException ex) => new(
        System, FailureKind.Permanent, $"HubSpot returned malformed JSON for {endpoint}: {ex.Message}", inner: ex);

    public static IntegrationException UnexpectedShape(string endpoint, string detail) => new(
        System, FailureKind.Permanent, $"HubSpot's response to {endpoint} is not in the expected shape: {detail}");

    /// <summary>HubSpot error bodies: {"status":"error","message":"...","category":"VALIDATION_ERROR","errors":[{"message":"..."}]}.</summary>
    public static string MessageFrom(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(empty response body)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString()!;
                }

                if (root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    return description.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): fall through to the raw text.
        }

        return body.Length <= 300 ? body : body[..300] + "…";
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
