using HubSpotOrchestrator.Approvals;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteApprovalStore : IApprovalStore
{
    private readonly LiteDbContext _db;

    public LiteApprovalStore(LiteDbContext db)
    {
        _db = db;
        _db.Write(() =>
        {
            Approvals.EnsureIndex(x => x.Status);
            Approvals.EnsureIndex(x => x.DealId);
            Approvals.EnsureIndex(x => x.RunId);
        });
    }

    private ILiteCollection<Approval> Approvals => _db.Database.GetCollection<Approval>("approvals");

    public Approval? Get(string id) => LiteKeys.TooLong(id) ? null : _db.Read(() => Approvals.FindById(id));

    public Approval GetOrCreate(Approval approval)
    {
        return _db.Write(() =>
        {
            var existing = Approvals.FindById(approval.Id);
            if (existing is not null)
            {
                return existing;
            }

            Approvals.Insert(approval);
            return approval;
        });
    }

    public bool TryUpdate(Approval approval, int expectedVersion)
    {
        return _db.Write(() =>
        {
            var current = Approvals.FindById(approval.Id);
            if (current is null || current.Version != expectedVersion)
            {
                return false;
            }

            approval.Version = expectedVersion + 1;
            Approvals.Update(approval);
            return true;
        });
    }

    public IReadOnlyList<Approval> Query(ApprovalStatus? status, string? approver, long? dealId, int limit) =>
        _db.Read(() => QueryOnOwner(status, approver, dealId, limit));

    private List<Approval> QueryOnOwner(ApprovalStatus? status, string? approver, long? dealId, int limit)
    {
        var query = Approvals.Query();
        if (status is { } s)
        {
            query = query.Where(LiteDB.Query.EQ("Status", s.ToString()));
        }

        if (dealId is { } d)
        {
            query = query.Where(x => x.DealId == d);
        }

        var items = query.OrderByDescending(x => x.CreatedAt).ToEnumerable();
        if (approver is not null)
        {
            items = items.Where(a => a.IsOpen && a.CurrentStage < a.Stages.Count && a.Stages[a.CurrentStage].Approvers.Contains(approver, StringComparer.OrdinalIgnoreCase));
        }

        return items.Take(limit).ToList();
    }
}
