using System.Runtime.ExceptionServices;
using HubSpotOrchestrator.Integrations;

namespace HubSpotOrchestrator.Channels;

/// <summary>
/// When an approval is decided, every earlier message a channel posted for it (requests, reminders, escalations)
/// is replaced with the decided card, so no live buttons remain. The one implementation for every channel; the
/// channel supplies how its stored message reference parses and how one message is replaced.
/// </summary>
/// <remarks>
/// Which copies: the deliveries on this channel of every other prompt of the approval except ApprovalDecided ones
/// (those were posted after the decision and already show it), each message once.
/// Failures: one copy's failure never stops the others. A permanent or configuration failure (message deleted, app
/// removed from that chat) is logged and skipped, since retrying cannot help; any other failure is logged and, after
/// every copy was tried, rethrown, so the delivery job retries (replacing a message again is harmless).
/// </remarks>
public static class CardReplacement
{
    /// <param name="parse">The channel's reading of a stored delivery reference; null when it is not one (logged, skipped).</param>
    /// <param name="replace">Replaces one message with the decided card; throws <see cref="IntegrationException"/> on failure.</param>
    public static async Task ReplaceEarlierCopiesAsync<TMessage>(
        IPromptStore prompts,
        Prompt decided,
        string channel,
        Func<string, TMessage?> parse,
        Func<TMessage, CancellationToken, Task> replace,
        ILogger logger,
        CancellationToken ct)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(replace);
        ArgumentNullException.ThrowIfNull(logger);
        if (decided.ApprovalId is not { } approvalId)
        {
            return;
        }

        var references = EarlierCopies(prompts, decided, approvalId, channel);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["PromptId"] = decided.Id, ["CorrelationId"] = decided.CorrelationId, ["ApprovalId"] = approvalId,
        });
        List<Exception>? failures = null;
        foreach (var reference in references)
        {
            if (parse(reference) is not { } message)
            {
                logger.LogWarning("Prompt {PromptId} (correlation {CorrelationId}): {Channel} message reference {Reference} of approval {ApprovalId} cannot be read; not replaced",
                    decided.Id, decided.CorrelationId, channel, reference, approvalId);
                continue;
            }

            try
            {
                await replace(message, ct);
            }
            catch (IntegrationException ex) when (ex.Kind != FailureKind.Transient)
            {
                logger.LogWarning(ex, "Prompt {PromptId} (correlation {CorrelationId}): {Channel} message {Reference} of approval {ApprovalId} not replaced with the decided card ({Kind}; not retried): {Message}",
                    decided.Id, decided.CorrelationId, channel, reference, approvalId, ex.Kind, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Prompt {PromptId} (correlation {CorrelationId}): {Channel} message {Reference} of approval {ApprovalId} not replaced with the decided card; will retry: {Message}",
                    decided.Id, decided.CorrelationId, channel, reference, approvalId, ex.Message);
                (failures ??= []).Add(ex);
            }
        }

        if (failures is [var only])
        {
            ExceptionDispatchInfo.Throw(only);
        }

        if (failures is not null)
        {
            throw new AggregateException($"{failures.Count} earlier {channel} message(s) of approval {approvalId} not replaced", failures);
        }
    }

    /// <summary>The stored references of the messages to replace (see the remarks on <see cref="CardReplacement"/>).</summary>
    private static List<string> EarlierCopies(IPromptStore prompts, Prompt decided, string approvalId, string channel) =>
        prompts.ForApproval(approvalId)
            .Where(p => p.Id != decided.Id && p.Kind != PromptKind.ApprovalDecided)
            .SelectMany(p => p.Deliveries)
            .Where(d => d.Channel == channel && !string.IsNullOrEmpty(d.Reference))
            .Select(d => d.Reference!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
