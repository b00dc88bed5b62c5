using System.Text;
using System.Text.Json;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary><c>POST /api/messages</c>: the Bot Framework messaging endpoint (protocols.md §2.1–2.2).</summary>
internal static class TeamsEndpoints
{
    // Activities are small; a card submit with inputs is a few KB. Teams' own limit on a message is about 100 KB.
    internal const int MaxBodyBytes = 512 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext http, BotFrameworkAuthenticator authenticator, TeamsBot bot, ILoggerFactory loggers, CancellationToken ct)
    {
        var read = await Shared.BoundedBody.ReadAsync(http.Request, MaxBodyBytes, ct);
        if (read.Status == Shared.BoundedBodyStatus.TooLarge)
        {
            return TypedResults.Problem(title: "Activity too large", detail: $"The activity is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (read.Status == Shared.BoundedBodyStatus.Incomplete)
        {
            // The client went away mid-body: nothing to act on, and not a service fault.
            loggers.CreateLogger(typeof(TeamsEndpoints)).LogInformation("Teams activity body incomplete from {RemoteIp}: {Reason}", http.Connection.RemoteIpAddress, read.Reason);
            return TypedResults.Problem(title: "Incomplete request body", detail: "The request body ended before it was complete.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Syntax, depth and text of the whole body first: value, channelData and entities stay JsonElements, which a lone
        // surrogate escape or invalid UTF-8 would make throw when the bot reads them.
        if (SafeJson.Validate(read.Bytes, subject: "The body") is { } problem)
        {
            return TypedResults.Problem(title: "Invalid activity", detail: $"The body is not a Bot Framework activity: {problem}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var body = Encoding.UTF8.GetString(read.Bytes);

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

        if (activity.OverlongField() is { } overlong)
        {
            // Ids reach stores and their indexes (conversation references, audit): bounded here, before the bot sees them.
            return TypedResults.Problem(title: "Invalid activity", detail: $"The activity's {overlong}.", statusCode: StatusCodes.Status400BadRequest);
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
}
