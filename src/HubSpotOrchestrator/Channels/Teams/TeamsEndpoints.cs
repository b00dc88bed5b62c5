using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary><c>POST /api/messages</c>: the Bot Framework messaging endpoint (protocols.md §2.1–2.2).</summary>
internal static class TeamsEndpoints
{
    // Activities are small; a card submit with inputs is a few KB. Teams' own limit on a message is about 100 KB.
    internal const int MaxBodyBytes = 512 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext http, BotFrameworkAuthenticator authenticator, TeamsBot bot, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await ReadBodyAsync(http, ct);
        if (body is null)
        {
            return TypedResults.Problem(title: "Activity too large", detail: $"The activity is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        Activity activity;
        try
        {
            activity = ActivityJson.Parse(body);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(title: "Invalid activity", detail: $"The body is not a Bot Framework activity: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        var header = http.Request.Headers.Authorization.ToString();
        var auth = await authenticator.AuthenticateAsync(string.IsNullOrEmpty(header) ? null : header, activity, ct);
        if (!auth.Succeeded)
        {
            return TypedResults.Problem(title: "Unauthorized", detail: auth.Reason, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return TypedResults.Problem(title: "Invalid activity", detail: "The activity has no type.", statusCode: StatusCodes.Status400BadRequest);
        }

        InvokeResponse? invokeResponse;
        try
        {
            invokeResponse = await bot.HandleAsync(activity, ct);
        }
        catch (ArgumentException ex)
        {
            loggers.CreateLogger(typeof(TeamsEndpoints)).LogWarning("Teams activity {ActivityId} ({ActivityType}) is incomplete: {Reason}", activity.Id, activity.Type, ex.Message);
            return TypedResults.Problem(title: "Invalid activity", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        // Invoke answers are always HTTP 200: clients show other statuses as a generic failure (protocols.md §2.6, §2.9).
        return invokeResponse is null ? TypedResults.Ok() : TypedResults.Json(invokeResponse, ActivityJson.Options);
    }

    private static async Task<string?> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
