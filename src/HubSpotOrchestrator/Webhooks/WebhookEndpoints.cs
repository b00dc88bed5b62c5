using HubSpotOrchestrator.Channels.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

public sealed record WebhookEventOutcome(string EventId, long PortalId, string CorrelationId, string Status);

public sealed record WebhookAccepted(int Accepted, int Duplicates, int Quarantined, IReadOnlyList<WebhookEventOutcome> Events);

internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/hubspot").AllowAnonymous().WithTags("Webhooks");
        group.MapPost("/", (HttpContext http, WebhookIngest ingest, CancellationToken ct) => ingest.HandleAsync(http, workflowAction: false, ct));
        group.MapPost("/workflow", (HttpContext http, WebhookIngest ingest, CancellationToken ct) => ingest.HandleAsync(http, workflowAction: true, ct));
        return app;
    }
}

/// <summary>
/// The webhook request path: content type, size, signature, parse, one durable write, dispatch, answer.
/// HubSpot does not retry 4xx, so a verified batch is never rejected for its contents: bad events are quarantined.
/// </summary>
internal sealed class WebhookIngest(
    HubSpotRequestVerifier verifier,
    IInboxStore inbox,
    EventDispatcher dispatcher,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookIngest> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, bool workflowAction, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Reject("unsupported_media_type", StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Content-Type must be application/json, got '{request.ContentType ?? "(none)"}'.");
        }

        var limit = options.Value.MaxBodyBytes;
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request, limit, ct);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException || (ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // The client went away mid-body (or sent less than its Content-Length): nothing was stored, and
            // HubSpot retries what it did not see acknowledged. Not a service fault, so no error and no stack trace.
            logger.LogInformation("Webhook request body incomplete from {RemoteIp}: {Reason}", http.Connection.RemoteIpAddress, ex.Message);
            WebhookMetrics.RequestsRejected.WithLabels("incomplete_body").Inc();
            return TypedResults.Problem(title: "Incomplete request body", detail: "The request body ended before its declared length.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (body is null)
        {
            return Reject("too_large", StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body exceeds {limit} bytes (Webhooks:MaxBodyBytes).");
        }

        var verification = verifier.Verify(request, body, allowApiKey: workflowAction);
        if (!verification.Verified)
        {
            logger.LogWarning("Webhook rejected: {Failure} from {RemoteIp}", verification.Failure, http.Connection.RemoteIpAddress);
            return Reject("unauthorized", StatusCodes.Status401Unauthorized, "Signature verification failed", verification.Failure!);
        }

        var receivedAt = clock.GetUtcNow().UtcDateTime;
        var batchId = "b-" + Guid.CreateVersion7().ToString("N");
        var parsed = workflowAction
            ? WorkflowActionParser.Parse(body, request.Query, batchId, receivedAt, out var error)
            : WebhookBatchParser.Parse(body, batchId, receivedAt, out error);
        if (parsed is null)
        {
            return Reject("malformed", StatusCodes.Status400BadRequest, "Malformed webhook body", error!);
        }

        InboxWriteResult written;
        try
        {
            written = inbox.AcceptBatch(parsed.Events, parsed.Quarantined);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was stored; 503 makes HubSpot deliver the batch again later.
            logger.LogError(ex, "Inbox write failed for batch {BatchId} ({EventCount} events)", batchId, parsed.Events.Count);
            WebhookMetrics.RequestsRejected.WithLabels("store_unavailable").Inc();
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(title: "Inbox unavailable", detail: "The event store could not be written; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        dispatcher.Dispatch(written.BatchId ?? batchId, written.AcceptedIds);
        var source = workflowAction ? "workflow-action" : "webhooks-api";
        WebhookMetrics.EventsReceived.WithLabels(source).Inc(written.AcceptedIds.Count);
        WebhookMetrics.EventsDuplicate.Inc(written.DuplicateIds.Count);
        WebhookMetrics.EventsQuarantined.Inc(written.Quarantined);
        if (written.Quarantined > 0)
        {
            logger.LogWarning("Batch {BatchId}: {Quarantined} event(s) quarantined: {Reasons}", batchId, written.Quarantined, string.Join("; ", parsed.Quarantined.Select(q => q.Reason)));
        }

        var duplicates = written.DuplicateIds.ToHashSet(StringComparer.Ordinal);
        var outcomes = parsed.Events.Select(e => new WebhookEventOutcome(e.EventId, e.PortalId, e.CorrelationId, duplicates.Contains(e.Id) ? "duplicate" : "accepted")).ToList();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var e in parsed.Events)
            {
                using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", e.CorrelationId);
                logger.LogDebug("Event {EventId} {SubscriptionType} {Outcome}", e.EventId, e.SubscriptionType, duplicates.Contains(e.Id) ? "duplicate" : "accepted");
            }
        }

        return TypedResults.Ok(new WebhookAccepted(written.AcceptedIds.Count, written.DuplicateIds.Count, written.Quarantined, outcomes));
    }

    private static ProblemHttpResult Reject(string reason, int status, string title, string detail)
    {
        WebhookMetrics.RequestsRejected.WithLabels(reason).Inc();
        return TypedResults.Problem(title: title, detail: detail, statusCode: status);
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
