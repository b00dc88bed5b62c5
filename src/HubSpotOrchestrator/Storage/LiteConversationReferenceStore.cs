using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.People;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteConversationReferenceStore : IConversationReferenceStore
{
    private readonly LiteDbContext _db;
    private readonly TrustedServiceUrls _trusted;
    private readonly TimeProvider _clock;

    public LiteConversationReferenceStore(LiteDbContext db, TrustedServiceUrls trusted, TimeProvider clock)
    {
        _db = db;
        _trusted = trusted;
        _clock = clock;
        _db.Write(() =>
        {
            References.EnsureIndex(x => x.PersonId);
            References.EnsureIndex(x => x.UserAadObjectId);
            References.EnsureIndex(x => x.UserId);
            References.EnsureIndex(x => x.ConversationId);
        });
    }

    private ILiteCollection<Document> References => _db.Database.GetCollection<Document>("teams_references");

    public void Save(ConversationReference reference, string? personId)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var user = reference.UserAadObjectId ?? reference.UserId ?? "bot";
        var document = new Document
        {
            Id = LiteKeys.Fit(user + "|" + reference.ConversationId),
            PersonId = LiteKeys.FitOrNull(personId),
            UserId = LiteKeys.FitOrNull(reference.UserId),
            UserAadObjectId = LiteKeys.FitOrNull(reference.UserAadObjectId),
            ServiceUrl = reference.ServiceUrl,
            ConversationId = LiteKeys.Fit(reference.ConversationId),
            ConversationType = reference.ConversationType,
            TenantId = reference.TenantId,
            BotId = reference.Bot.Id ?? "",
            BotName = reference.Bot.Name,
            ChannelId = reference.ChannelId,
            UpdatedAt = _clock.GetUtcNow().UtcDateTime,
        };
        _db.Write(() =>
        {
            // A later activity without a directory match must not forget who the user was mapped to.
            document.PersonId ??= References.FindById(document.Id)?.PersonId;
            References.Upsert(document);
        });
    }

    public ConversationReference? FindPersonal(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var candidates = _db.Read(() =>
        {
            var found = References.Find(x => x.PersonId == person.Id).ToList();
            if (person.TeamsAadObjectId is { Length: > 0 } aad)
            {
                found.AddRange(References.Find(x => x.UserAadObjectId == aad));
            }

            if (person.TeamsUserId is { Length: > 0 } userId)
            {
                found.AddRange(References.Find(x => x.UserId == userId));
            }

            return found;
        });

        var best = candidates
            .Where(r => string.IsNullOrEmpty(r.ConversationType) || string.Equals(r.ConversationType, "personal", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.UpdatedAt)
            .FirstOrDefault();
        return Trusted(best);
    }

    public ConversationReference? FindConversation(string serviceUrl, string conversationId)
    {
        var wanted = TrustedServiceUrls.Normalize(serviceUrl);
        var match = _db.Read(() => References.Find(x => x.ConversationId == LiteKeys.Fit(conversationId)).ToList())
            .Where(r => string.Equals(TrustedServiceUrls.Normalize(r.ServiceUrl), wanted, StringComparison.Ordinal))
            .OrderByDescending(r => r.UpdatedAt)
            .FirstOrDefault();
        return Trusted(match);
    }

    public ConversationReference? Latest() =>
        Trusted(_db.Read(() => References.FindAll().Where(r => !string.IsNullOrEmpty(r.TenantId)).OrderByDescending(r => r.UpdatedAt).FirstOrDefault()));

    private ConversationReference? Trusted(Document? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var reference = stored.ToReference();
        _trusted.TrustStoredReference(reference);
        return reference;
    }

    /// <summary>One stored conversation reference (LiteDB document, collection <c>teams_references</c>).</summary>
    internal sealed class Document
    {
        /// <summary><c>&lt;aadObjectId or user id&gt;|&lt;conversation id&gt;</c>.</summary>
        public string Id { get; set; } = "";
        public string? PersonId { get; set; }
        public string? UserId { get; set; }
        public string? UserAadObjectId { get; set; }
        public string ServiceUrl { get; set; } = "";
        public string ConversationId { get; set; } = "";
        public string? ConversationType { get; set; }
        public string? TenantId { get; set; }
        public string BotId { get; set; } = "";
        public string? BotName { get; set; }
        public string ChannelId { get; set; } = "";
        public DateTime UpdatedAt { get; set; }

        public ConversationReference ToReference() => new(
            ServiceUrl, ConversationId, ConversationType, TenantId, new ChannelAccount { Id = BotId, Name = BotName }, UserId, UserAadObjectId, ChannelId);
    }
}
