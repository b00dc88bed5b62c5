namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// Events API <c>event_id</c>s already accepted, so a Slack retry (protocols.md §3.4: up to 3 retries over ~5 minutes)
/// is answered without doing the work twice, across restarts too.
/// </summary>
public interface ISlackEventLog
{
    /// <summary>True the first time <paramref name="eventId"/> is seen; false for a repeat.</summary>
    bool TryRecord(string eventId);

    /// <summary>Forgets an event whose work could not be queued, so Slack's retry is processed.</summary>
    void Forget(string eventId);
}
