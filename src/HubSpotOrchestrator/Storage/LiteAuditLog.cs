using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using HubSpotOrchestrator.Audit;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteAuditLog : IAuditLog
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private readonly LiteDbContext _db;
    private (long Id, string Hash)? _head;
    private long _headGeneration;

    public LiteAuditLog(LiteDbContext db)
    {
        _db = db;
        _db.Write(() => Entries.EnsureIndex(x => x.Subject));
    }

    private ILiteCollection<AuditEntry> Entries => _db.Database.GetCollection<AuditEntry>("audit");

    public AuditEntry Append(string actor, string action, string subject, string outcome, DateTime at, string? correlationId = null,
        string? channel = null, string? onBehalfOf = null, IReadOnlyDictionary<string, string>? details = null)
    {
        return _db.Write(() =>
        {
            // The chain head is cached on the writer thread (the only writer); a rollback may have undone it, so reload then.
            if (_head is null || _headGeneration != _db.RollbackCount)
            {
                _head = Entries.Query().OrderByDescending(x => x.Id).FirstOrDefault() is { } stored ? (stored.Id, stored.Hash) : (0, Genesis);
                _headGeneration = _db.RollbackCount;
            }

            var (lastId, lastHash) = _head.Value;
            var entry = new AuditEntry
            {
                Id = lastId + 1,
                // LiteDB keeps milliseconds; hash what will be read back.
                At = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc),
                Actor = actor,
                Action = action,
                Subject = LiteKeys.Fit(subject),
                Channel = channel,
                OnBehalfOf = onBehalfOf,
                CorrelationId = correlationId,
                Outcome = outcome,
                Details = details?.ToDictionary() ?? [],
                PrevHash = lastHash,
            };
            entry.Hash = ComputeHash(entry);
            Entries.Insert(entry);
            _head = (entry.Id, entry.Hash);
            return entry;
        });
    }

    public IReadOnlyList<AuditEntry> Query(string? subject, int limit) =>
        _db.Read(() => (subject is null ? Entries.Query() : Entries.Query().Where(x => x.Subject == LiteKeys.Fit(subject)))
            .OrderByDescending(x => x.Id).Limit(limit).ToList());

    public AuditVerification Verify() => _db.Read(VerifyOnOwner);

    private AuditVerification VerifyOnOwner()
    {
        var previous = Genesis;
        long expected = 1;
        foreach (var entry in Entries.Query().OrderBy(x => x.Id).ToEnumerable())
        {
            if (entry.Id != expected)
            {
                return new AuditVerification(false, expected - 1, expected, $"entry {expected} is missing (next is {entry.Id})");
            }

            if (entry.PrevHash != previous)
            {
                return new AuditVerification(false, expected - 1, entry.Id, $"entry {entry.Id} does not link to entry {entry.Id - 1}");
            }

            if (ComputeHash(entry) != entry.Hash)
            {
                return new AuditVerification(false, expected - 1, entry.Id, $"entry {entry.Id} was modified after it was written");
            }

            previous = entry.Hash;
            expected++;
        }

        return new AuditVerification(true, expected - 1, null, null);
    }

    internal static string ComputeHash(AuditEntry e)
    {
        var sb = new StringBuilder();
        sb.Append(e.Id.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(e.At.ToString("O", CultureInfo.InvariantCulture)).Append('\n')
            .Append(e.Actor).Append('\n').Append(e.Action).Append('\n').Append(e.Subject).Append('\n')
            .Append(e.Channel).Append('\n').Append(e.OnBehalfOf).Append('\n').Append(e.CorrelationId).Append('\n')
            .Append(e.Outcome).Append('\n');
        foreach (var (k, value) in (e.Details ?? []).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var v = value ?? "";
            sb.Append(k.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(k).Append('=')
                .Append(v.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(v).Append('\n');
        }

        sb.Append(e.PrevHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
