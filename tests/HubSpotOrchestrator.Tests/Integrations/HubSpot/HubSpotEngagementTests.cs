using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Integrations.HubSpot;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

public sealed class HubSpotEngagementTests : IAsyncLifetime
{
    private static readonly CrmRecordRef Deal = new("deals", "9002");

    private HubSpotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await HubSpotTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateNoteAsync_CreatesOneNoteAssociatedWithTheDeal()
    {
        var note = await _host.Crm.CreateNoteAsync(Deal, "<p>Discount approved by Dana</p>", "run-42:notify");

        Assert.True(note.Created);
        var stored = Assert.Single(_host.Server.Objects("notes"));
        Assert.Equal(note.Id, stored["id"]!.GetValue<string>());
        Assert.Contains("hso-key:run-42:notify", stored["properties"]!["hs_note_body"]!.GetValue<string>(), StringComparison.Ordinal);
        var link = Assert.Single(_host.Server.Associations(), a => a.FromType == "notes");
        Assert.Equal(("deals", "9002", 214), (link.ToType, link.ToId, link.TypeIds.Single()));
    }

    [Fact]
    public async Task CreateNoteAsync_CreatesTheNoteOnce_WhenARetriedStepRunsAgainAfterALostResponse()
    {
        // HubSpot stores the note but the answer is lost (a 502 from a proxy): the step fails and the run engine retries it.
        _host.Server.Enqueue(new("POST", "/crm/v3/objects/notes", 502, "", Process: true));

        var first = await Assert.ThrowsAsync<IntegrationException>(() => _host.Crm.CreateNoteAsync(Deal, "<p>Approved</p>", "run-42:notify"));
        var retried = await _host.Crm.CreateNoteAsync(Deal, "<p>Approved</p>", "run-42:notify");

        Assert.Equal(FailureKind.Transient, first.Kind);
        Assert.False(retried.Created);
        var stored = Assert.Single(_host.Server.Objects("notes"));
        Assert.Equal(stored["id"]!.GetValue<string>(), retried.Id);
        Assert.Single(_host.Server.Requests, r => r.Method == "POST" && r.Path == "/crm/v3/objects/notes");
    }

    [Fact]
    public async Task CreateNoteAsync_ReturnsTheExistingNote_WhenCalledTwiceWithTheSameKey()
    {
        var first = await _host.Crm.CreateNoteAsync(Deal, "<p>Approved</p>", "run-42:notify");
        var second = await _host.Crm.CreateNoteAsync(Deal, "<p>Approved</p>", "run-42:notify");

        Assert.Equal(first.Id, second.Id);
        Assert.False(second.Created);
        Assert.Single(_host.Server.Objects("notes"));
    }

    [Fact]
    public async Task CreateNoteAsync_CreatesAnotherNote_ForAKeyThatOnlySharesAPrefix()
    {
        var longer = await _host.Crm.CreateNoteAsync(Deal, "<p>One</p>", "run-42:notify-2");
        var shorter = await _host.Crm.CreateNoteAsync(Deal, "<p>Two</p>", "run-42:notify");

        Assert.True(shorter.Created);
        Assert.NotEqual(longer.Id, shorter.Id);
        Assert.Equal(2, _host.Server.Objects("notes").Count);
    }

    [Fact]
    public async Task CreateNoteAsync_RejectsAKeyThatCannotBeAMarker()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _host.Crm.CreateNoteAsync(Deal, "<p>x</p>", "run 42 <b>"));
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task CreateTaskAsync_CreatesTheTaskOnce_WithOwnerDueDateAndContactAssociation()
    {
        var contact = new CrmRecordRef("contacts", "321");
        var due = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var request = new CrmTaskRequest("Call Dana about the renewal", "Discount above 25 % was rejected.", due, OwnerId: "77", Priority: "HIGH");

        var first = await _host.Crm.CreateTaskAsync(contact, request, "run-43:follow-up");
        var second = await _host.Crm.CreateTaskAsync(contact, request, "run-43:follow-up");

        Assert.Equal(first.Id, second.Id);
        var stored = Assert.Single(_host.Server.Objects("tasks"))["properties"]!;
        Assert.Equal("Call Dana about the renewal", stored["hs_task_subject"]!.GetValue<string>());
        Assert.Equal(due.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), stored["hs_timestamp"]!.GetValue<string>());
        Assert.Equal("77", stored["hubspot_owner_id"]!.GetValue<string>());
        Assert.Equal("NOT_STARTED", stored["hs_task_status"]!.GetValue<string>());
        var link = Assert.Single(_host.Server.Associations(), a => a.FromType == "tasks");
        Assert.Equal(("contacts", "321", 204), (link.ToType, link.ToId, link.TypeIds.Single()));
    }

    [Fact]
    public async Task CreateTaskAsync_FindsTheTaskByTheConfiguredIdempotencyProperty()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:IdempotencyProperty"] = "hso_idempotency_key" });
        var request = new CrmTaskRequest("Review", "Please review", new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

        var first = await host.Crm.CreateTaskAsync(Deal, request, "run-44:review");
        var second = await host.Crm.CreateTaskAsync(Deal, request, "run-44:review");

        Assert.Equal(first.Id, second.Id);
        var stored = Assert.Single(host.Server.Objects("tasks"))["properties"]!;
        Assert.Equal("run-44:review", stored["hso_idempotency_key"]!.GetValue<string>());
        Assert.Contains(host.Server.Requests, r => r.Path == "/crm/v3/objects/tasks/batch/read" && r.Body.Contains("hso_idempotency_key", StringComparison.Ordinal));
    }
}
