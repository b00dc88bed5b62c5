using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteProjectionStore(LiteDbContext db) : IProjectionStore
{
    public DealProjection? GetDeal(long portalId, long dealId) => db.Read(() => db.Deals.FindById($"{portalId}:{dealId}"));

    public void ObserveDealStage(long portalId, long dealId, string stage, DateTime at)
    {
        db.Write(() =>
        {
            var id = $"{portalId}:{dealId}";
            var deal = db.Deals.FindById(id);
            if (deal is not null && deal.StageChangedAt > at)
            {
                return;
            }

            db.Deals.Upsert(new DealProjection { Id = id, PortalId = portalId, Stage = stage, StageChangedAt = at });
        });
    }
}

internal sealed class LiteRuleSetStore(LiteDbContext db) : IRuleSetStore
{
    public void RecordActivation(RuleSetRecord record)
    {
        db.Write(() =>
        {
            if (db.RuleSets.FindOne(x => x.Version == record.Version) is null)
            {
                db.RuleSets.Insert(record);
            }
        });
    }

    public RuleSetRecord? Get(string version) => db.Read(() => db.RuleSets.FindOne(x => x.Version == version));
}

internal sealed class LiteStoreHealth(LiteDbContext db) : IStoreHealth
{
    public void Probe(DateTime at)
    {
        db.Write(() =>
        {
            var col = db.Database.GetCollection("health");
            col.Upsert(new LiteDB.BsonDocument { ["_id"] = "probe", ["at"] = at });
            _ = col.FindById("probe") ?? throw new InvalidOperationException("The store did not return the probe it just wrote.");
        });
    }
}
