using HubSpotOrchestrator.Channels;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

internal sealed class LitePromptStore : IPromptStore
{
    private readonly LiteDbContext _db;

    public LitePromptStore(LiteDbContext db)
    {
        _db = db;
        _db.Write(() =>
        {
            Prompts.EnsureIndex(x => x.RecipientId);
            Prompts.EnsureIndex(x => x.ApprovalId);
        });
    }

    private ILiteCollection<Prompt> Prompts => _db.Database.GetCollection<Prompt>("prompts");

    public bool TryAdd(Prompt prompt)
    {
        return _db.Write(() =>
        {
            if (Prompts.FindById(prompt.Id) is not null)
            {
                return false;
            }

            Prompts.Insert(prompt);
            return true;
        });
    }

    public Prompt? Get(string id) => LiteKeys.TooLong(id) ? null : _db.Read(() => Prompts.FindById(id));

    public void RecordDelivery(string promptId, PromptDelivery delivery)
    {
        _db.Write(() =>
        {
            var prompt = Prompts.FindById(promptId);
            if (prompt is not null && !prompt.Deliveries.Exists(d => d.Channel == delivery.Channel))
            {
                prompt.Deliveries.Add(delivery);
                Prompts.Update(prompt);
            }
        });
    }

    public IReadOnlyList<Prompt> ForRecipient(string? recipientId, int limit) =>
        _db.Read(() => Prompts.Query().Where(x => x.RecipientId == recipientId).OrderByDescending(x => x.CreatedAt).Limit(limit).ToList());

    public IReadOnlyList<Prompt> ForApproval(string approvalId) => _db.Read(() => Prompts.Find(x => x.ApprovalId == approvalId).ToList());
}
