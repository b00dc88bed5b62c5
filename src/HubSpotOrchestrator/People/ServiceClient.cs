using System.Net.Http.Headers;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.People;

/// <summary>An HTTP client for the running service with an admin token minted from the local key (or --token), for verbs that act through the API.</summary>
internal static class ServiceClient
{
    public static (HttpClient Http, string BaseUrl) Create(string[] args, string actor)
    {
        var cli = new CliArgs(args);
        var configuration = ServiceConfiguration.Load(args);
        var baseUrl = (cli.Get("url") ?? configuration["Urls"]?.Split(';')[0] ?? "http://localhost:3978").TrimEnd('/');
        var token = cli.Get("token") ?? TokenCommand.Issuer(configuration).Mint(actor, [Roles.Admin], TimeSpan.FromMinutes(5));
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (http, baseUrl);
    }
}
