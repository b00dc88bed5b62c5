using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangfire;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// Slack's three request URLs. Each verifies the v0 signature over the raw body before anything else (protocols.md §3.1)
/// and answers within Slack's 3 seconds; follow-up Web API calls run as Hangfire jobs.
/// </summary>
public static partial class SlackEndpoints
{
    public const string EventsPath = "/slack/events";
    public const string InteractivityPath = "/slack/interactivity";
    public const string CommandsPath = "/slack/commands";
    private const int MaxBodyBytes = 1024 * 1024;

    // Interactive answers must reach Slack within 3 s; a users.info lookup gets at most this long.
    private static readonly TimeSpan LookupBudget = TimeSpan.FromMilliseconds(1500);

    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/slack").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost("/events", Events);
        group.MapPost("/interactivity", Interactivity);
        group.MapPost("/commands", Commands);
        return app;
    }

    private static async Task<IResult> Events(HttpContext context, ISlackEventLog seen, IBackgroundJobClient jobs, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackEndpoints).FullName!);
        var (body, refusal) = await ReadVerifiedAsync(context, logger);
        if (refusal is not null)
        {
            return refusal;
        }

        SlackEventsRequest request;
        try
        {
            request = SlackPayloadParser.ParseEvents(body);
        }
        catch (SlackPayloadException ex)
        {
            return Results.Problem(statusCode: 400, title: "Bad Slack event", detail: ex.Message);
        }

        if (request is SlackUrlVerification verification)
        {
            return Results.Text(verification.Challenge, "text/plain");
        }

        if (request is not SlackEventCallback callback)
        {
            logger.LogInformation("Slack events request of type {Type} acknowledged and ignored", request.Type);
            return Results.Ok();
        }

        var ev = callback.Event;
        // Only human messages: bot echoes (ours included) would loop, and edits/joins (subtypes) are not commands.
        if (ev.Kind == SlackEventKind.Other || ev.IsFromBot || ev.Subtype is not null || ev.User is null || ev.Channel is null)
        {
            return Results.Ok();
        }

        if (!seen.TryRecord(callback.EventId))
        {
            logger.LogInformation("Slack event {EventId} already handled (retry {Retry}); ignored", callback.EventId, context.Request.Headers["X-Slack-Retry-Num"].ToString());
            return Results.Ok();
        }

        var threadTs = ev.Kind == SlackEventKind.AppMention ? ev.ThreadTs ?? ev.Ts : ev.ThreadTs;
        var text = CommandText(ev.Text);
        try
        {
            jobs.Enqueue<SlackMessageJob>(j => j.ReplyAsync(ev.Channel, threadTs, ev.User, text, CancellationToken.None));
        }
        #pragma warning disable CA1031 // whatever fails while queueing, Slack must get a 503 so it retries the event
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            seen.Forget(callback.EventId);
            logger.LogError(ex, "Slack event {EventId} could not be queued; Slack will retry it", callback.EventId);
            return Results.Problem(statusCode: 503, title: "Slack event not queued", detail: "The job store is unavailable; Slack retries the event.");
        }

        logger.LogInformation("Slack event {EventId} ({Kind}) from {SlackUserId} queued", callback.EventId, ev.Kind, ev.User);
        return Results.Ok();
    }

    private static async Task<IResult> Interactivity(
        HttpContext context, SlackPeople people, ChatActions actions, IBackgroundJobClient jobs, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackEndpoints).FullName!);
        var (body, refusal) = await ReadVerifiedAsync(context, logger);
        if (refusal is not null)
        {
            return refusal;
        }

        SlackInteraction interaction;
        try
        {
            interaction = SlackPayloadParser.ParseInteraction(body);
        }
        catch (SlackPayloadException ex)
        {
            return Results.Problem(statusCode: 400, title: "Bad Slack interaction", detail: ex.Message);
        }

        if (interaction.BlockActions is not { } blockActions)
        {
            logger.LogInformation("Slack interaction of type {Type} acknowledged and ignored", interaction.Type);
            return Results.Ok();
        }

        var slackUserId = blockActions.User.Id;
        var person = await people.FindAsync(slackUserId, LookupBudget, context.RequestAborted);
        var actorRef = person?.Id ?? "slack:" + slackUserId;
        var inputs = StateValues(interaction.Raw);
        ChatActionResult? last = null;
        JsonObject? lastData = null;
        foreach (var action in blockActions.Actions.Where(a => !string.IsNullOrEmpty(a.Value)))
        {
            lastData = ActionData(action.Value!, inputs);
            // The decision is recorded (LiteDB) inside Handle, before Slack gets its 200.
            last = actions.Handle(person, actorRef, action.ActionId, lastData, "slack");
            logger.LogInformation("Slack click {Verb} by {Actor}: {Status}", action.ActionId, actorRef, last.Status);
            if (last.Malformed)
            {
                // Refused and audited; no card update carries its ids.
                return Results.Problem(statusCode: 400, title: "Bad Slack interaction", detail: last.Message);
            }
        }

        if (last is not null)
        {
            if (blockActions.ChannelId is { } channel && blockActions.MessageTs is { } ts && !IsEphemeral(interaction.Raw))
            {
                // Ids only: job arguments are stored and shown on /admin/jobs, and the card carries an action token.
                var (approvalId, exceptionId) = ClickedCards.Ids(lastData);
                var status = last.Status;
                jobs.Enqueue<SlackMessageJob>(j => j.UpdateAsync(channel, ts, status, approvalId, exceptionId, actorRef, CancellationToken.None));
            }
            else
            {
                logger.LogInformation("Slack click by {Actor} came from a message that cannot be updated (no channel/ts, or ephemeral)", actorRef);
            }
        }

        return Results.Ok();
    }

    private static async Task<IResult> Commands(HttpContext context, SlackPeople people, BotCommands commands, ICardRenderer renderer, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackEndpoints).FullName!);
        var (body, refusal) = await ReadVerifiedAsync(context, logger);
        if (refusal is not null)
        {
            return refusal;
        }

        SlackSlashCommand command;
        try
        {
            command = SlackPayloadParser.ParseSlashCommand(body);
        }
        catch (SlackPayloadException ex)
        {
            return Results.Problem(statusCode: 400, title: "Bad Slack slash command", detail: ex.Message);
        }

        var person = await people.FindAsync(command.UserId, LookupBudget, context.RequestAborted);
        var card = commands.Handle(person, command.Text);
        var message = renderer.RenderSlack(card.Template, card.Data);
        logger.LogInformation("Slack {Command} '{Text}' from {SlackUserId} answered with {Template}", command.Command, command.Text, command.UserId, card.Template);
        var response = new JsonObject
        {
            ["response_type"] = "ephemeral",
            ["text"] = SlackMessageJob.Text(message),
            ["blocks"] = message["blocks"]?.DeepClone(),
        };
        return Results.Text(response.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>Reads the raw body and checks its Slack signature; a refusal is a 401 (or 413, or 400 for a cut-off body) problem and nothing else happens.</summary>
    private static async Task<(string Body, IResult? Refusal)> ReadVerifiedAsync(HttpContext context, ILogger logger)
    {
        var request = context.Request;
        var read = await Shared.BoundedBody.ReadAsync(request, MaxBodyBytes, context.RequestAborted);
        if (read.Status == Shared.BoundedBodyStatus.TooLarge)
        {
            return ("", Results.Problem(statusCode: 413, title: "Slack request too large", detail: $"The body exceeds {MaxBodyBytes} bytes."));
        }

        if (read.Status == Shared.BoundedBodyStatus.Incomplete)
        {
            // The client went away mid-body: nothing to act on, and not a service fault.
            logger.LogInformation("Slack request to {Path} body incomplete: {Reason}", request.Path.Value, read.Reason);
            return ("", Results.Problem(statusCode: 400, title: "Incomplete request body", detail: "The request body ended before it was complete."));
        }

        var bytes = read.Bytes;
        var verifier = context.RequestServices.GetRequiredService<SlackSignatureVerifier>();
        var result = verifier.Verify(
            request.Headers[SlackSignatureVerifier.SignatureHeader].ToString(),
            request.Headers[SlackSignatureVerifier.TimestampHeader].ToString(),
            bytes);
        if (!result.IsValid)
        {
            logger.LogWarning("Slack request to {Path} refused: {Failure} ({Reason})", request.Path.Value, result.Failure, result.Reason);
            return ("", Results.Problem(statusCode: 401, title: "Slack signature not valid", detail: result.Reason));
        }

        return (Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>The command in a mention or DM: user mentions removed, Slack's HTML escapes undone.</summary>
    internal static string CommandText(string? text) =>
        MentionPattern().Replace(text ?? "", " ").Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal).Trim();

    /// <summary>The button's value JSON (approvalId|exceptionId + token) plus the message's input values (e.g. suppliedValue).</summary>
    internal static JsonObject? ActionData(string value, IReadOnlyDictionary<string, string> inputs)
    {
        // The value is the button's, but the payload is attacker-controlled: parsed defensively (no lone surrogates, depth 64).
        var data = SafeJson.ParseObject(value, out _);
        if (data is null)
        {
            return null;
        }

        foreach (var (name, input) in inputs)
        {
            // Inputs never overwrite the signed-for fields of the button.
            data.TryAdd(name, input);
        }

        return data;
    }

    /// <summary><c>state.values[block_id][action_id]</c> of a block_actions payload: plain text inputs and selects, by action_id.</summary>
    internal static Dictionary<string, string> StateValues(JsonElement payload)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!SafeJson.TryGetProperty(payload, "state", out var state) || !SafeJson.TryGetProperty(state, "values", out var blocks) || blocks.ValueKind != JsonValueKind.Object)
        {
            return values;
        }

        foreach (var block in blocks.EnumerateObject().Where(b => b.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var element in block.Value.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Object))
            {
                var input = element.Value;
                if (SafeJson.TryGetProperty(input, "value", out var text) && SafeJson.TryGetString(text, out var typed))
                {
                    values[element.Name] = typed;
                }
                else if (SafeJson.TryGetProperty(input, "selected_option", out var option)
                    && SafeJson.TryGetProperty(option, "value", out var selected) && SafeJson.TryGetString(selected, out var chosen))
                {
                    values[element.Name] = chosen;
                }
            }
        }

        return values;
    }

    private static bool IsEphemeral(JsonElement payload) =>
        SafeJson.TryGetProperty(payload, "container", out var container)
        && SafeJson.TryGetProperty(container, "is_ephemeral", out var ephemeral) && ephemeral.ValueKind == JsonValueKind.True;

    [GeneratedRegex(@"<@[A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex MentionPattern();
}
