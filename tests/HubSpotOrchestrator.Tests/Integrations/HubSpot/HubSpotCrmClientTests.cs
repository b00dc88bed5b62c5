using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Integrations.HubSpot;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

public sealed class HubSpotCrmClientTests : IAsyncLifetime
{
    private HubSpotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await HubSpotTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetAsync_ReturnsChosenPropertiesAndAssociations_ForDealFixture()
    {
        var deal = await _host.Crm.GetAsync("deals", "9002", ["dealname", "amount", "dealstage"], ["contacts", "companies"]);

        Assert.Equal("9002", deal.Id);
        Assert.Equal("Acme Corp — Enterprise renewal", deal["dealname"]);
        Assert.Equal("184000", deal["amount"]);
        Assert.Equal(3, deal.Properties.Count);
        Assert.Equal(["321"], deal.Associations["contacts"]);
        Assert.Equal(["555"], deal.Associations["companies"]);
        var request = _host.Server.Requests.Single();
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.Contains("properties=dealname,amount,dealstage", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_KeepsUnicodeAndEmptyValues_ForCompanyAndContactFixtures()
    {
        var company = await _host.Crm.GetAsync("companies", "555", ["name", "industry"]);
        var contact = await _host.Crm.GetAsync("contacts", "321", ["firstname", "email"]);

        Assert.Equal("Müller & Söhne GmbH — Zürich", company["name"]);
        Assert.Equal("", company["industry"]);
        Assert.Equal("dana.whitfield@acme.example", contact["email"]);
        Assert.Empty(contact.Associations);
    }

    [Fact]
    public async Task GetAsync_ThrowsPermanent_WhenRecordIsGone()
    {
        var ex = await Assert.ThrowsAsync<IntegrationException>(() => _host.Crm.GetAsync("deals", "404404", ["dealname"]));

        Assert.Equal(FailureKind.Permanent, ex.Kind);
        Assert.Equal("HubSpot", ex.System);
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("GET /crm/v3/objects/deals/404404", ex.Message, StringComparison.Ordinal);
        Assert.Single(_host.Server.Requests);
    }

    [Fact]
    public async Task GetAsync_RejectsIdsThatWouldChangeThePath()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _host.Crm.GetAsync("deals", "../owners/77", ["dealname"]));
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task BatchReadAsync_ReturnsKnownRecords_AndLeavesOutUnknownIds()
    {
        var deals = await _host.Crm.BatchReadAsync("deals", ["9002", "9003", "404404"], ["dealname"]);

        Assert.Equal(["9002", "9003"], deals.Select(d => d.Id).Order());
        Assert.Equal("Globex — New business", deals.Single(d => d.Id == "9003")["dealname"]);
    }

    [Fact]
    public async Task UpdateAsync_SetsTargetValues_AndIsSafeToRepeat()
    {
        var update = new Dictionary<string, string?> { ["dealstage"] = "closedwon", ["discount_percentage"] = null };

        await _host.Crm.UpdateAsync("deals", "9002", update);
        var again = await _host.Crm.UpdateAsync("deals", "9002", update);

        Assert.Equal("closedwon", again["dealstage"]);
        var stored = _host.Server.Object("deals", "9002")["properties"]!;
        Assert.Equal("closedwon", stored["dealstage"]!.GetValue<string>());
        Assert.Equal("", stored["discount_percentage"]!.GetValue<string>());
        Assert.Equal(2, _host.Server.Count("PATCH", "/crm/v3/objects/deals/9002"));
    }

    [Fact]
    public async Task UpdateAsync_ThrowsPermanentWithHubSpotsMessage_WhenPropertyIsUnknown()
    {
        var ex = await Assert.ThrowsAsync<IntegrationException>(() =>
            _host.Crm.UpdateAsync("deals", "9002", new Dictionary<string, string?> { ["no_such_property"] = "x" }));

        Assert.Equal(FailureKind.Permanent, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("Property \\\"no_such_property\\\" does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Single(_host.Server.Requests);
    }

    [Fact]
    public async Task BatchUpdateAsync_UpdatesEveryRecord()
    {
        var results = await _host.Crm.BatchUpdateAsync("deals",
        [
            new("9002", new Dictionary<string, string?> { ["dealstage"] = "closedwon" }),
            new("9003", new Dictionary<string, string?> { ["dealstage"] = "closedlost" }),
        ]);

        Assert.Equal(2, results.Count);
        Assert.Equal("closedwon", _host.Server.Object("deals", "9002")["properties"]!["dealstage"]!.GetValue<string>());
        Assert.Equal("closedlost", _host.Server.Object("deals", "9003")["properties"]!["dealstage"]!.GetValue<string>());
    }

    [Fact]
    public async Task BatchUpdateAsync_ThrowsPermanent_WhenHubSpotRejectsPartOfTheBatch()
    {
        var ex = await Assert.ThrowsAsync<IntegrationException>(() => _host.Crm.BatchUpdateAsync("deals",
        [
            new("9002", new Dictionary<string, string?> { ["dealstage"] = "closedwon" }),
            new("404404", new Dictionary<string, string?> { ["dealstage"] = "closedwon" }),
        ]));

        Assert.Equal(FailureKind.Permanent, ex.Kind);
        Assert.Contains("Object 404404 not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssociateDefaultAsync_LinksTheRecords()
    {
        await _host.Crm.AssociateDefaultAsync(new("contacts", "321"), new("companies", "555"));

        var link = Assert.Single(_host.Server.Associations(), a => a.FromType == "contacts" && a.ToType == "companies");
        Assert.Equal(("321", "555"), (link.FromId, link.ToId));
        Assert.Equal(1, _host.Server.Count("PUT", "/crm/v4/objects/contacts/321/associations/default/companies/555"));
    }

    [Fact]
    public async Task AssociateAsync_SendsTheLabels()
    {
        await _host.Crm.AssociateAsync(new("contacts", "321"), new("companies", "555"), [CrmAssociationType.HubSpotDefined(279), CrmAssociationType.UserDefined(8)]);

        var link = Assert.Single(_host.Server.Associations(), a => a.FromType == "contacts" && a.ToType == "companies");
        Assert.Equal([279, 8], link.TypeIds);
        var body = _host.Server.Requests.Single().Body;
        Assert.Contains("\"associationCategory\":\"USER_DEFINED\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_ReturnsMatchingRecords()
    {
        var result = await _host.Crm.SearchAsync("deals", new CrmSearchRequest(
            [[new CrmFilter("dealstage", "EQ", "contractsent"), new CrmFilter("pipeline", "EQ", "default")]],
            ["dealname", "amount"]));

        Assert.Equal(2, result.Total);
        Assert.Equal(["9002", "9003"], result.Results.Select(r => r.Id).Order());
        Assert.Null(result.NextAfter);
        Assert.Contains("\"operator\":\"EQ\"", _host.Server.Requests.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOwnerAsync_ReturnsNameAndEmail()
    {
        var owner = await _host.Crm.GetOwnerAsync("77");

        Assert.Equal("jordan.lee@acme.example", owner.Email);
        Assert.Equal("Jordan Lee", owner.DisplayName);
    }
}
