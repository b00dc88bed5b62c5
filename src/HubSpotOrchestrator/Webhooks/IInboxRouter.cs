using Hangfire;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// The Hangfire job that routes stored events (implemented by Routing). Webhooks enqueues it by this interface so
/// that the inbox does not depend on the rules and workflows that routing uses.
/// </summary>
public interface IInboxRouter
{
    [AutomaticRetry(Attempts = 10)]
    Task RouteAsync(string[] inboxIds, CancellationToken ct);
}
