using System.Net.Http.Json;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>
/// The whole service on a fake clock, its HubSpot client pointed at a stateful loopback HubSpot that counts calls;
/// optionally in another environment (the console's sign-in needs Development) and on a real Kestrel for a browser.
/// </summary>
public class ProcurementApp : OrchestratorFactory
{
    private readonly string? _environment;
    private readonly bool _kestrel;
    private FakeHubSpotServer? _hubspot;

    /// <param name="dataDir">An earlier service's data folder, to start again on it (see <see cref="OrchestratorFactory"/>).</param>
    public ProcurementApp(DateTimeOffset? start = null, string? environment = null, bool kestrel = false, string? dataDir = null)
        : base(dataDir)
    {
        _environment = environment;
        _kestrel = kestrel;
        Clock = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        Settings["HubSpot:AccessToken"] = "test-token";
        Settings["HubSpot:AllowInsecureHttp"] = "true";
        Settings["HubSpot:RequestTimeout"] = "00:05:00";
        Settings["Workflows:RetryBaseDelay"] = "00:00:00.050";
        Settings["Workflows:RetryMaxDelay"] = "00:00:00.200";
        Settings["Workflows:MaxAttempts"] = "2";
    }

    public FakeTimeProvider Clock { get; }

    internal FakeHubSpotServer HubSpot => _hubspot ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>Where the Kestrel server listens (only with <c>kestrel: true</c>).</summary>
    public Uri Address { get; private set; } = new("http://localhost/");

    public async Task StartAsync()
    {
        _hubspot = await FakeHubSpotServer.StartAsync(Clock);
        _hubspot.DefineProperties("deals", FakeHubSpotServer.ProcurementDealProperties);
        Settings["HubSpot:BaseUrl"] = _hubspot.BaseUrl.ToString();
        if (_kestrel)
        {
            UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
            StartServer();
            Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        else
        {
            _ = CreateClient();
        }
    }

    /// <summary>A cookie-keeping client that does not follow redirects, so tests see the post-redirect-get.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_environment is not null)
        {
            builder.UseEnvironment(_environment);
        }
    }

    protected override void ConfigureTestServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));

    /// <summary>Sets deal properties on the loopback HubSpot as a person in HubSpot would.</summary>
    public async Task SetDealAsync(string id, Dictionary<string, string?> properties)
    {
        using var http = new HttpClient { BaseAddress = HubSpot.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubSpot.AccessToken);
        using var response = await http.PatchAsJsonAsync($"crm/v3/objects/deals/{id}", new { properties });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A run as routing creates it, started through the engine.</summary>
    public Run StartRun(long dealId, string triggeredBy = "userId:77", DateTime? occurredAt = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Id = "run_" + Guid.NewGuid().ToString("N")[..20],
            Workflow = WorkflowNames.ProcurementApproval,
            Status = RunStatus.Pending,
            SubjectType = "deal",
            SubjectId = dealId,
            PortalId = 62515,
            CorrelationId = "test-" + Guid.NewGuid().ToString("N")[..8],
            EventKey = "test",
            RuleSetVersion = "test",
            OccurredAt = occurredAt ?? now,
            CreatedAt = now,
            UpdatedAt = now,
            TriggeredBy = triggeredBy,
        };
        Service<IRunStore>().TryCreate(run);
        Service<IRunStarter>().Start(run.Id);
        return run;
    }

    public Run Run(string id) => Service<IRunStore>().Get(id)!;

    public Approval? ApprovalFor(string runId) => Service<IApprovalStore>().Get(ApprovalService.IdForRun(runId));

    public Task WaitForAsync(string runId, RunStatus status) =>
        Eventually.TrueAsync(() => Run(runId).Status == status, () => $"run {runId} {status} (is {Run(runId).Status}: {Run(runId).StatusReason})");

    public Task WaitForApprovalAsync(string runId) =>
        Eventually.TrueAsync(() => Run(runId).Status == RunStatus.Waiting && ApprovalFor(runId) is not null, () => $"run {runId} waiting for its approval (is {Run(runId).Status}: {Run(runId).StatusReason})");

    /// <summary>A Procurement Approval run for the deal, waiting on its approval (one sales-vp stage at 40000 / 25 %).</summary>
    public async Task<Run> PendingApprovalAsync(long dealId = 9003)
    {
        await SetDealAsync(dealId.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = StartRun(dealId);
        await WaitForApprovalAsync(run.Id);
        return run;
    }

    public string? DealProperty(string id, string name) => (string?)HubSpot.Object("deals", id)["properties"]?[name];

    public DecisionOutcome Decide(string runId, string person, string verb = "approve", string? comment = null) =>
        Service<ApprovalService>().Decide(ApprovalService.IdForRun(runId), person, verb, comment, "test");

    public int DealPatches(string id) => HubSpot.Count("PATCH", $"/crm/v3/objects/deals/{id}");

    public int NoteCreates() => HubSpot.Requests.Count(r => r.Method == "POST" && r.Path == "/crm/v3/objects/notes");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _hubspot?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
