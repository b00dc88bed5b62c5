using System.Diagnostics;
using System.Globalization;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;
using LiteDB;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// The ceiling for ingest: the same InboxEvent documents (parsed from the fixture by the service's own parser),
/// 100 per transaction, inserted straight into LiteDB with the service's settings (direct mode, same mapper,
/// same inbox indexes, plus the one InboxBatch document the service writes per request) — no HTTP, no signature, no parse, no dedupe lookup, no dispatch.
/// </summary>
internal static class RawLiteDbCeiling
{
    public static (long Events, TimeSpan Elapsed) Run(byte[] fixture, TimeSpan duration)
    {
        var parsed = WebhookBatchParser.Parse(fixture, "b-raw", DateTime.UtcNow, out var error) ?? throw new InvalidOperationException(error);
        var events = parsed.Events;
        var dir = RepoPaths.NewTempDir();
        try
        {
            using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dir, "raw.db"), Connection = ConnectionType.Direct }, new BsonMapper { EnumAsInteger = false })
            {
                UtcDate = true,
            };
            var inbox = db.GetCollection<InboxEvent>("inbox");
            var batches = db.GetCollection<InboxBatch>("inbox_batches");

            // The service's inbox index set (LiteDbContext): EventId on the events, RoutedAt on the batches.
            inbox.EnsureIndex(x => x.EventId);
            batches.EnsureIndex(x => x.RoutedAt);

            var nextId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 10_000;
            long inserted = 0;
            void Batch()
            {
                foreach (var e in events)
                {
                    var id = (nextId++).ToString(CultureInfo.InvariantCulture);
                    e.EventId = id;
                    e.Id = $"{e.PortalId}:{id}";
                    e.CorrelationId = WebhookBatchParser.CorrelationId(e.PortalId, id);
                }

                db.BeginTrans();
                inserted += inbox.Insert(events);
                batches.Insert(new InboxBatch { Id = "b-" + nextId.ToString(CultureInfo.InvariantCulture), EventIds = [.. events.Select(e => e.Id)], ReceivedAt = events[0].ReceivedAt });
                db.Commit();
            }

            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
            {
                Batch();
            }

            inserted = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < duration)
            {
                Batch();
            }

            return (inserted, sw.Elapsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
