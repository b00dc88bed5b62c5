using HubSpotOrchestrator.Channels.Slack;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// LiteDB implementation of <see cref="ISlackEventLog"/>: remembers Events API <c>event_id</c>s in LiteDB so a Slack retry (protocols.md §3.4: up to 3 retries over ~5 minutes)
/// is answered without doing the work twice, across restarts too.
/// </summary>
internal sealed class LiteSlackEventLog : ISlackEventLog
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(1);
    private readonly LiteDbContext _db;
    private readonly TimeProvider _clock;

    public LiteSlackEventLog(LiteDbContext db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
        _db.Write(() => Events.EnsureIndex(x => x.ReceivedAt));
    }

    private ILiteCollection<SeenEvent> Events => _db.Database.GetCollection<SeenEvent>("slack_events");

    /// <summary>True the first time <paramref name="eventId"/> is seen; false for a repeat.</summary>
    public bool TryRecord(string eventId)
    {
        eventId = LiteKeys.Fit(eventId);
        var now = _clock.GetUtcNow().UtcDateTime;
        var cutoff = now - Keep;
        return _db.Write(() =>
        {
            if (Events.FindById(eventId) is not null)
            {
                return false;
            }

            Events.Insert(new SeenEvent { Id = eventId, ReceivedAt = now });
            // Slack stops retrying after minutes; a day of ids is plenty and keeps the collection small.
            Events.DeleteMany(x => x.ReceivedAt < cutoff);
            return true;
        });
    }

    /// <summary>Forgets an event whose work could not be queued, so Slack's retry is processed.</summary>
    public void Forget(string eventId)
    {
        _db.Write(() => Events.Delete(LiteKeys.Fit(eventId)));
    }

    /// <summary>An Events API delivery already accepted; its <c>event_id</c> is the key.</summary>
    internal sealed class SeenEvent
    {
        [BsonId]
        public string Id { get; set; } = "";

        public DateTime ReceivedAt { get; set; }
    }
}
