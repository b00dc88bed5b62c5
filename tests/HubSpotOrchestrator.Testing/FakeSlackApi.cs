using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HubSpotOrchestrator.Testing;

public sealed record PostedMessage(string Channel, string Ts, JsonObject Body);

/// <summary>A loopback Slack Web API: answers conversations.open, chat.postMessage, chat.update, users.info and users.lookupByEmail, and records every call.</summary>
public sealed class FakeSlackApi : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private int _ts;

    /// <summary>Slack users known to users.info / users.lookupByEmail: id → email.</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    public string ApiBaseUrl => _server.BaseUrl + "/api/";

    public static async Task<FakeSlackApi> StartAsync()
    {
        var api = new FakeSlackApi();
        api._server = await LoopbackServer.StartAsync(api.HandleAsync);
        return api;
    }

    /// <summary>The JSON bodies of calls to <paramref name="method"/> (e.g. chat.postMessage), oldest first.</summary>
    public IReadOnlyList<JsonObject> Calls(string method) =>
        [.. _server.Requests.Where(r => r.Path == "/api/" + method).Select(r => JsonNode.Parse(r.Body.Length == 0 ? "{}" : r.Body)!.AsObject())];

    /// <summary>Every chat.postMessage with the ts this fake gave it.</summary>
    public ConcurrentQueue<PostedMessage> Posts { get; } = new();

    public int Count => _server.Requests.Count;

    public IEnumerable<string> Paths => _server.Requests.Select(r => r.RawTarget);

    private Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        context.Response.ContentType = "application/json";
        var body = request.Body.Length > 0 ? JsonNode.Parse(request.Body) as JsonObject : null;
        JsonObject answer = request.Path switch
        {
            "/api/conversations.open" => new() { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + (string?)body?["users"] } },
            "/api/chat.postMessage" => Posted(body!),
            "/api/chat.update" => new() { ["ok"] = true, ["channel"] = (string?)body?["channel"], ["ts"] = (string?)body?["ts"] },
            "/api/users.info" => User(Users.FirstOrDefault(u => u.Key == context.Request.Query["user"].ToString())),
            "/api/users.lookupByEmail" => User(Users.FirstOrDefault(u => u.Value == context.Request.Query["email"].ToString())),
            _ => new() { ["ok"] = false, ["error"] = "unknown_method" },
        };
        return context.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject Posted(JsonObject body)
    {
        var ts = $"1764086400.{Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture)}";
        Posts.Enqueue(new PostedMessage((string)body["channel"]!, ts, body));
        return new() { ["ok"] = true, ["channel"] = (string?)body["channel"], ["ts"] = ts };
    }

    private static JsonObject User(KeyValuePair<string, string> user) => user.Key is null
        ? new() { ["ok"] = false, ["error"] = "users_not_found" }
        : new() { ["ok"] = true, ["user"] = new JsonObject { ["id"] = user.Key, ["name"] = user.Key, ["profile"] = new JsonObject { ["email"] = user.Value } } };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
