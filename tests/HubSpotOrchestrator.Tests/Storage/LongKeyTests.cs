using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Tests.Storage;

/// <summary>Values from outside that reach an index are bounded: LiteDB refuses keys over 1,023 bytes (that was a 500).</summary>
public sealed class LongKeyTests : IDisposable
{
    private readonly LiteDbContext _db = new(Options.Create(new StorageOptions { DataPath = TestPaths.NewTempDir() }), NullLogger<LiteDbContext>.Instance);

    [Fact]
    public void AuditSubjectOf20KB_IsStoredBoundedAndFoundAgain()
    {
        var audit = new LiteAuditLog(_db);
        var subject = "approval:" + new string('a', 20_000);
        var entry = audit.Append("slack:U1", "approval.refused", subject, "unknown approval", DateTime.UtcNow);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(entry.Subject) <= LiteKeys.MaxBytes);
        Assert.Equal(entry.Id, Assert.Single(audit.Query(subject, 10)).Id);
        Assert.True(audit.Verify().Intact);
    }

    [Fact]
    public void LongIds_AreNotFound_InsteadOfFailingTheLookup()
    {
        var id = new string('x', 20_000);
        Assert.Null(new LiteApprovalStore(_db).Get(id));
        Assert.Null(new LitePromptStore(_db).Get(id));
        Assert.Null(new LiteRunStore(_db).Get(id));
    }

    [Fact]
    public void SlackEventIdOf20KB_IsRememberedOnce()
    {
        var log = new LiteSlackEventLog(_db, TimeProvider.System);
        var id = "Ev" + new string('9', 20_000);
        Assert.True(log.TryRecord(id));
        Assert.False(log.TryRecord(id));
        Assert.True(log.TryRecord(id + "0"));
    }

    [Fact]
    public void DistinctLongValues_StayDistinct() =>
        Assert.NotEqual(LiteKeys.Fit(new string('a', 600) + "1"), LiteKeys.Fit(new string('a', 600) + "2"));

    public void Dispose() => _db.Dispose();
}
