using Hangfire;
using Hangfire.Storage;

namespace HubSpotOrchestrator.Tests.Channels;

/// <summary>Every job in a Hangfire storage with its arguments as stored: what /admin/jobs shows.</summary>
internal static class StoredJobs
{
    public sealed record StoredJob(string Id, string Type, string Method, string Arguments);

    public static IReadOnlyList<StoredJob> All(JobStorage storage)
    {
        var api = storage.GetMonitoringApi();
        const int All = 10_000;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queue in api.Queues())
        {
            ids.UnionWith(api.EnqueuedJobs(queue.Name, 0, All).Select(j => j.Key));
            ids.UnionWith(api.FetchedJobs(queue.Name, 0, All).Select(j => j.Key));
        }

        ids.UnionWith(api.ProcessingJobs(0, All).Select(j => j.Key));
        ids.UnionWith(api.ScheduledJobs(0, All).Select(j => j.Key));
        ids.UnionWith(api.SucceededJobs(0, All).Select(j => j.Key));
        ids.UnionWith(api.FailedJobs(0, All).Select(j => j.Key));
        ids.UnionWith(api.DeletedJobs(0, All).Select(j => j.Key));

        return ids.Select(id =>
        {
            // Not every storage fills InvocationData in; serializing the job again gives what was stored.
            var details = api.JobDetails(id);
            var invocation = details.InvocationData ?? (details.Job is { } job ? InvocationData.SerializeJob(job) : null)
                ?? throw new InvalidOperationException($"Job {id} has neither invocation data nor a job.");
            return new StoredJob(id, invocation.Type, invocation.Method, invocation.Arguments);
        }).ToList();
    }
}
