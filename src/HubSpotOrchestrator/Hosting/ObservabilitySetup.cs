using System.Text.Json;
using Hangfire;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace HubSpotOrchestrator.Hosting;

internal static class ObservabilitySetup
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<JobServerHealthCheck>("jobs", tags: ["ready"])
            .AddCheck<RulesHealthCheck>("rules", tags: ["ready"])
            .AddCheck<HubSpotOrchestrator.People.DirectoryHealthCheck>("directory", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new()
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

internal sealed class StoreHealthCheck(IStoreHealth store, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            store.Probe(clock.GetUtcNow().UtcDateTime);
            return Task.FromResult(HealthCheckResult.Healthy("store writable"));
        }
        #pragma warning disable CA1031 // a health check reports any failure of its probe as Unhealthy
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("store not writable: " + ex.Message));
        }
    }
}

internal sealed class JobServerHealthCheck(JobStorage storage, IConfiguration configuration, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            var now = clock.GetUtcNow().UtcDateTime;
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(1));
            var runsHere = configuration.GetValue("Jobs:RunServer", true);
            if (alive == 0 && runsHere)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("no job server has sent a heartbeat in the last minute"));
            }

            return Task.FromResult(alive == 0
                ? HealthCheckResult.Degraded("no job server alive (Jobs:RunServer is off here)")
                : HealthCheckResult.Healthy($"{alive} job server(s) alive"));
        }
        #pragma warning disable CA1031 // a health check reports any failure of its probe as Unhealthy
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("job storage unavailable: " + ex.Message));
        }
    }
}

internal sealed class RulesHealthCheck(RuleSetProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!provider.IsLoaded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("rules not loaded"));
        }

        var data = new Dictionary<string, object> { ["version"] = provider.Current.Version };
        if (provider.LastErrors.Count > 0)
        {
            data["errors"] = provider.LastErrors.Select(e => e.ToString()).ToArray();
            return Task.FromResult(HealthCheckResult.Degraded($"last rule change refused; {provider.Current.Version} stays active", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"rule set {provider.Current.Version} active", data: data));
    }
}
