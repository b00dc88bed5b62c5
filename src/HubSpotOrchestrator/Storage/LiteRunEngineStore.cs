using LiteDB;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteRunEngineStore : IRunEngineStore
{
    private readonly LiteDbContext _db;

    public LiteRunEngineStore(LiteDbContext db)
    {
        _db = db;
        _db.Write(() =>
        {
            Steps.EnsureIndex(x => x.RunId);
            ExceptionsCol.EnsureIndex(x => x.Status);
            ExceptionsCol.EnsureIndex(x => x.RunId);
        });
    }

    private ILiteCollection<RunStep> Steps => _db.Database.GetCollection<RunStep>("run_steps");

    private ILiteCollection<ExceptionRecord> ExceptionsCol => _db.Database.GetCollection<ExceptionRecord>("exceptions");

    private ILiteCollection<WorkflowControl> Controls => _db.Database.GetCollection<WorkflowControl>("workflow_controls");

    public Run? TryLease(string runId, string owner, DateTime now, TimeSpan duration)
    {
        return _db.Write(() =>
        {
            var run = _db.Runs.FindById(runId);
            if (run is null || (run.LeaseOwner is not null && run.LeaseOwner != owner && run.LeaseUntil > now))
            {
                return null;
            }

            run.LeaseOwner = owner;
            run.LeaseUntil = now + duration;
            _db.Runs.Update(run);
            return run;
        });
    }

    public bool RenewLease(string runId, string owner, DateTime now, TimeSpan duration)
    {
        return _db.Write(() =>
        {
            var run = _db.Runs.FindById(runId);
            if (run?.LeaseOwner != owner)
            {
                return false;
            }

            run.LeaseUntil = now + duration;
            _db.Runs.Update(run);
            return true;
        });
    }

    public void ReleaseLease(string runId, string owner)
    {
        // Only the owner releases, so a lease already cleared (e.g. with the run's final save) needs no write.
        if (_db.Read(() => _db.Runs.FindById(runId)?.LeaseOwner) != owner)
        {
            return;
        }

        _db.Write(() =>
        {
            var run = _db.Runs.FindById(runId);
            if (run?.LeaseOwner == owner)
            {
                run.LeaseOwner = null;
                run.LeaseUntil = null;
                _db.Runs.Update(run);
            }
        });
    }

    public IReadOnlyList<RunStep> GetSteps(string runId) => _db.Read(() => Steps.Find(x => x.RunId == runId).OrderBy(s => s.Index).ToList());

    public RunStep? GetStep(string runId, string step) => _db.Read(() => Steps.FindById($"{runId}:{step}"));

    public void SaveStep(RunStep step)
    {
        _db.Write(() =>
        {
            Steps.Upsert(step);
        });
    }

    public void Checkpoint(Run run, RunStep step, RunStep? next = null) =>
        _db.InTransaction(() =>
        {
            Steps.Upsert(step);
            if (next is not null)
            {
                Steps.Upsert(next);
            }

            _db.Runs.Update(run);
            return 0;
        });

    public IReadOnlyList<Run> OpenRunsForSubject(string workflow, long portalId, string subjectType, long subjectId)
    {
        return _db.Read(() => _db.Runs.Find(x => x.SubjectId == subjectId)
            .Where(r => r.Workflow == workflow && r.PortalId == portalId && r.SubjectType == subjectType && !r.IsTerminal)
            .OrderBy(r => r.OccurredAt).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList());
    }

    public IReadOnlyList<Run> RunsWithStatus(RunStatus status, string? workflow, int limit) =>
        _db.Read(() => _db.Runs.Query().Where(Query.EQ("Status", status.ToString())).ToEnumerable()
            .Where(r => workflow is null || r.Workflow == workflow).Take(limit).ToList());

    public void SaveException(ExceptionRecord record)
    {
        _db.Write(() =>
        {
            ExceptionsCol.Upsert(record);
        });
    }

    public ExceptionRecord? GetException(string id) => LiteKeys.TooLong(id) ? null : _db.Read(() => ExceptionsCol.FindById(id));

    public bool TryResolveException(string id, string resolution, string by, DateTime at)
    {
        return _db.Write(() =>
        {
            var record = ExceptionsCol.FindById(id);
            if (record is null || record.Status != ExceptionStatus.Open)
            {
                return false;
            }

            record.Status = ExceptionStatus.Resolved;
            record.Resolution = resolution;
            record.ResolvedBy = by;
            record.ResolvedAt = at;
            ExceptionsCol.Update(record);
            return true;
        });
    }

    public IReadOnlyList<ExceptionRecord> Exceptions(ExceptionStatus? status, string? runId, int limit) =>
        _db.Read(() => ExceptionsOnOwner(status, runId, limit));

    private List<ExceptionRecord> ExceptionsOnOwner(ExceptionStatus? status, string? runId, int limit)
    {
        var query = ExceptionsCol.Query();
        if (status is { } s)
        {
            query = query.Where(Query.EQ("Status", s.ToString()));
        }

        if (runId is not null)
        {
            query = query.Where(x => x.RunId == runId);
        }

        return query.OrderByDescending(x => x.CreatedAt).Limit(limit).ToList();
    }

    public bool IsPaused(string workflow) => _db.Read(() => Controls.FindById(workflow)?.Paused ?? false);

    public void SetPaused(string workflow, bool paused, string by, DateTime at)
    {
        _db.Write(() =>
        {
            Controls.Upsert(new WorkflowControl { Id = workflow, Paused = paused, ChangedBy = by, ChangedAt = at });
        });
    }
}
