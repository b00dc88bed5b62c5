using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteRunStore(LiteDbContext db) : IRunStore
{
    public bool TryCreate(Run run)
    {
        return db.Write(() =>
        {
            if (db.Runs.FindById(run.Id) is not null)
            {
                return false;
            }

            db.Runs.Insert(run);
            return true;
        });
    }

    public Run? Get(string id) => LiteKeys.TooLong(id) ? null : db.Read(() => db.Runs.FindById(id));

    public PagedResult<Run> Query(RunQuery q) => db.Read(() => QueryOnOwner(q));

    private PagedResult<Run> QueryOnOwner(RunQuery q)
    {
        var query = db.Runs.Query();
        if (q.Status is { } status)
        {
            query = query.Where(LiteDB.Query.EQ("Status", status.ToString()));
        }

        if (!string.IsNullOrEmpty(q.Workflow))
        {
            query = query.Where(x => x.Workflow == q.Workflow);
        }

        if (!string.IsNullOrEmpty(q.SubjectType))
        {
            query = query.Where(x => x.SubjectType == q.SubjectType);
        }

        if (q.SubjectId is { } subjectId)
        {
            query = query.Where(x => x.SubjectId == subjectId);
        }

        if (q.From is { } from)
        {
            query = query.Where(x => x.CreatedAt >= from);
        }

        if (q.To is { } to)
        {
            query = query.Where(x => x.CreatedAt < to);
        }

        var total = query.Count();
        var items = query.OrderByDescending(x => x.CreatedAt).Skip((q.Page - 1) * q.PageSize).Limit(q.PageSize).ToList();
        return new PagedResult<Run>(items, q.Page, q.PageSize, total);
    }

    public void Update(Run run)
    {
        db.Write(() =>
        {
            db.Runs.Update(run);
        });
    }
}
