using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Hosting;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire's SQLite file; relative paths are resolved against Storage:DataPath.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabaseFile { get; set; } = "jobs.db";

    [Range(1, 100)]
    public int WorkerCount { get; set; } = 8;

    /// <summary>How often idle workers look for new jobs. Hangfire's 15 s default makes pickup slow.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often scheduled (delayed) jobs are moved to their queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a fetched job stays invisible to other workers. A worker that dies (kill -9, a lost node) leaves its job
    /// fetched, and the job runs again once this has passed since its last refresh; jobs running in a live process are
    /// refreshed every quarter of it (<see cref="JobKeepAlive"/>), so a long job is not picked twice. Hangfire.Storage.SQLite's
    /// own default is 30 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Run the job server in this process (turn off for a web-only node).</summary>
    public bool RunServer { get; set; } = true;
}

internal static class JobsSetup
{
    public const string DashboardPath = "/admin/jobs";

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHangfire((sp, config) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var path = Path.GetFullPath(Path.Combine(storage.DataFolder, jobs.DatabaseFile));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseSQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = jobs.QueuePollInterval, InvisibilityTimeout = jobs.InvisibilityTimeout });
        });

        if (configuration.GetValue(JobsOptions.Section + ":" + nameof(JobsOptions.RunServer), true))
        {
            services.AddSingleton<JobKeepAlive>();
            services.AddHostedService(sp => sp.GetRequiredService<JobKeepAlive>());
            services.AddHangfireServer((sp, server) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.SchedulePollingInterval = jobs.SchedulePollingInterval;
                server.Queues = ["critical", "default"];

                // The keep-alive sees the jobs this server performs; a filter of this server only, not a global one.
                var keepAlive = new JobFilterCollection();
                keepAlive.Add(sp.GetRequiredService<JobKeepAlive>());
                server.FilterProvider = new JobFilterProviderCollection(sp.GetRequiredService<IJobFilterProvider>(), keepAlive);
            });
        }

        return services;
    }

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        // Hangfire's dashboard can requeue and delete jobs: local requests only until roles reach it.
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }
}
