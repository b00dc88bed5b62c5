using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Tests.Api;

/// <summary>
/// The JSON API under hostile input, in Development (how <c>dotnet run</c> starts): a query value or body the framework
/// cannot bind used to throw there (RouteHandlerOptions.ThrowOnBadRequest) and became 500 behind the exception handler;
/// it is 400 in every environment now. Ids longer than 256 characters in a route or query are a 400 before any lookup.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApiPoisonInputTests
{
    [Fact]
    public async Task ValuesTheFrameworkCannotBind_Are400ProblemDetails_InDevelopmentToo()
    {
        using var app = new ProcurementApp(environment: "Development");
        await app.StartAsync();
        using var client = app.ApiClient("admin");
        (HttpMethod Method, string Path, string? Body)[] cases =
        [
            (HttpMethod.Get, "/api/runs?from=lsss1po7", null),
            (HttpMethod.Get, "/api/approvals?limit=rd75we&mine=x", null),
            (HttpMethod.Get, "/api/events/1?portalId=abc", null),
            (HttpMethod.Post, "/api/approvals/apr_1/decision", "{\"decision\":5}"),
            (HttpMethod.Post, "/api/approvals/apr_1/decision", "not json"),
            (HttpMethod.Post, "/api/approvals/apr_1/decision", "{\"decision\":\"\\ud800\"}"),
            (HttpMethod.Post, "/api/exceptions/exc_1/skip", "[1,2]"),
            (HttpMethod.Post, "/api/runs/run_1/cancel", "{\"reason\":{}}"),
        ];

        foreach (var (method, path, body) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task OverlongIdsInRoutesAndQueries_Are400_BeforeAnyLookup()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        using var client = app.ApiClient("admin");
        var id = new string('i', 300);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/api/approvals/{id}"),
            (HttpMethod.Post, $"/api/workflows/{id}/pause"),
            (HttpMethod.Post, $"/api/runs/{id}/retry"),
            (HttpMethod.Get, $"/api/events/{id}"),
            (HttpMethod.Get, $"/api/audit?subject=approval:{id}"),
            (HttpMethod.Get, $"/api/runs?workflow={id}"),
        })
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path[..40]}: {(int)response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Contains("is longer than 256", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
