using Hangfire;
using HubSpotOrchestrator.Approvals;

namespace HubSpotOrchestrator.Channels;

public enum PromptKind
{
    ApprovalRequest,
    ApprovalDecided,
    Reminder,
    Escalated,
    Exception,
    RequesterNotice,
}

public sealed class PromptDelivery
{
    public string Channel { get; set; } = "";
    public DateTime At { get; set; }
    public string? Reference { get; set; }
}

/// <summary>A message for a person (or the exceptions audience when <see cref="RecipientId"/> is null); channels deliver it.</summary>
public sealed class Prompt
{
    public string Id { get; set; } = "";
    public PromptKind Kind { get; set; }
    public string? RecipientId { get; set; }
    public string? ApprovalId { get; set; }
    public string? ExceptionId { get; set; }
    public string RunId { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public List<PromptDelivery> Deliveries { get; set; } = [];
}

public interface IPromptStore
{
    /// <summary>Inserts unless a prompt with the same id exists (prompt ids are derived from what caused them).</summary>
    bool TryAdd(Prompt prompt);

    Prompt? Get(string id);

    void RecordDelivery(string promptId, PromptDelivery delivery);

    IReadOnlyList<Prompt> ForRecipient(string? recipientId, int limit);

    IReadOnlyList<Prompt> ForApproval(string approvalId);
}

/// <summary>A place prompts go: Teams, Slack, the built-in console.</summary>
public interface IPromptChannel
{
    string Name { get; }

    bool Enabled { get; }

    /// <summary>Delivers the prompt; returns a reference to the posted message (to update it later), if any.</summary>
    Task<string?> DeliverAsync(Prompt prompt, CancellationToken ct);
}

/// <summary>Stores a prompt, then delivers it in a job so a slow or dead channel never blocks a decision.</summary>
public sealed class PromptDispatcher(IPromptStore store, IBackgroundJobClient jobs, TimeProvider clock, ILogger<PromptDispatcher> logger)
{
    public void Raise(Prompt prompt)
    {
        using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", prompt.CorrelationId);
        prompt.CreatedAt = clock.GetUtcNow().UtcDateTime;
        if (store.TryAdd(prompt))
        {
            jobs.Enqueue<PromptDeliveryJob>(j => j.DeliverAsync(prompt.Id, CancellationToken.None));
            logger.LogInformation("Prompt {PromptId} ({Kind}) for {Recipient} raised", prompt.Id, prompt.Kind, prompt.RecipientId ?? "exceptions");
        }
    }
}

public sealed class PromptDeliveryJob(IPromptStore store, IEnumerable<IPromptChannel> channels, TimeProvider clock, ILogger<PromptDeliveryJob> logger)
{
    [AutomaticRetry(Attempts = 8)]
    public async Task DeliverAsync(string promptId, CancellationToken ct)
    {
        var prompt = store.Get(promptId);
        if (prompt is null)
        {
            return;
        }

        // Channel clients log inside this scope too, so every line of a delivery names the run's correlation id.
        using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", prompt.CorrelationId);
        var enabled = channels.Where(c => c.Enabled).ToList();
        if (enabled.Count == 0)
        {
            logger.LogInformation("Prompt {PromptId}: no channel configured; act through the API (/api/approvals, /api/exceptions)", promptId);
            return;
        }

        List<Exception>? failures = null;
        foreach (var channel in enabled.Where(c => !prompt.Deliveries.Exists(d => d.Channel == c.Name)))
        {
            try
            {
                var reference = await channel.DeliverAsync(prompt, ct);
                store.RecordDelivery(prompt.Id, new PromptDelivery { Channel = channel.Name, At = clock.GetUtcNow().UtcDateTime, Reference = reference });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Prompt {PromptId} not delivered to {Channel}; will retry", prompt.Id, channel.Name);
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"Prompt {promptId} failed on {failures.Count} channel(s)", failures);
        }
    }
}
