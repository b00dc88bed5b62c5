using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static HubSpotOrchestrator.Tests.Fuzz.JsonFuzz;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>Teams, the JSON API, the console, the rest, and bodies over the limits.</summary>
internal sealed partial class FuzzRequests
{
    private static readonly string[] Verbs = ["approve", "reject", "refreshCard", "skip", "retry", "supplyValue", "", new string('v', 300)];

    private static readonly byte[] Placeholder = Encoding.ASCII.GetBytes(Payloads.ServiceUrlPlaceholder);

    /// <summary>Ids for the approval in a click: the real one (with its token), forged, overlong, or not text.</summary>
    private JsonObject ClickData(Random random) => random.Next(6) switch
    {
        0 => new() { ["approvalId"] = service.ApprovalId, ["token"] = "forged" },
        1 => new() { ["approvalId"] = new string('a', 20_000), ["token"] = service.ApprovalToken },
        2 => new() { ["approvalId"] = new string('a', 1000), ["token"] = "t" },
        3 => new() { ["approvalId"] = 42, ["token"] = true },
        4 => new() { ["exceptionId"] = "exc_" + random.Next(), ["token"] = "t" },
        _ => new() { ["approvalId"] = service.ApprovalId, ["token"] = service.ApprovalToken },
    };

    /// <summary>A Slack click on the pending approval's card (fixtures/slack/block-actions-approve.json), ids as <see cref="ClickData"/>.</summary>
    private byte[] RealClick(Random random)
    {
        var payload = SlackApp.BlockActions(random.Next(3) == 0 ? "U0UNKNOWN" : SlackApp.Priya, Pick(random, Verbs), ClickData(random).ToJsonString(), "C0APPROVALS", "1764086400.000100");
        return Encoding.UTF8.GetBytes(SlackApp.Form(payload));
    }

    private byte[] RealInvoke(Random random)
    {
        var activity = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("teams/invoke-approve.json")))!.AsObject();
        activity["serviceUrl"] = Payloads.ServiceUrlPlaceholder;
        activity["value"]!["action"]!["verb"] = Pick(random, Verbs);
        activity["value"]!["action"]!["data"] = ClickData(random);
        if (random.Next(3) == 0)
        {
            // The Action.Submit fallback: a message whose value is the data, verb included.
            activity["type"] = "message";
            var data = ClickData(random);
            data["verb"] = Pick(random, Verbs);
            activity["value"] = data;
        }

        return Encoding.UTF8.GetBytes(activity.ToJsonString());
    }

    private FuzzCase Teams(Random random, byte[] body, byte[]? realClick)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(Replace(realClick ?? body, Placeholder, Encoding.ASCII.GetBytes(service.Bot.ServiceUrl))) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var now = service.App.Clock.GetUtcNow();
        var (kind, authorization) = random.Next(14) switch
        {
            0 => ("teams no token", null),
            1 => ("teams garbage token", "Bearer " + Pick(random, "x", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", new string('A', 5000))),
            2 => ("teams alg none", "Bearer " + service.Bot.MintAlgNone(now)),
            3 => ("teams expired token", "Bearer " + service.Bot.Mint(now.AddHours(-3), expires: now.AddHours(-2))),
            4 => ("teams wrong audience", "Bearer " + service.Bot.Mint(now, audience: "someone-else")),
            5 => ("teams basic auth", "Basic dXNlcjpwYXNz"),
            _ => ("teams", "Bearer " + service.Bot.Mint(now)),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return new(realClick is null ? kind : kind + " click", request, []);
    }

    private FuzzCase Api(Random random, string text, byte[] body)
    {
        var id = random.Next(6) switch
        {
            0 => service.ApprovalId,
            1 => service.RunId,
            2 => new string('i', 300),
            3 => new string('i', 5000),
            _ => FormEncode(Utf8(text)),
        };
        var query = FormEncode(Utf8(text));
        var (method, path) = random.Next(24) switch
        {
            0 => (HttpMethod.Get, $"/api/runs?status={query}&workflow={query}&subject={query}&from={query}&to={query}&page={query}&pageSize={query}"),
            1 => (HttpMethod.Get, $"/api/runs/{id}"),
            2 => (HttpMethod.Get, $"/api/runs/{id}/steps"),
            3 => (HttpMethod.Post, $"/api/runs/{id}/cancel"),
            4 => (HttpMethod.Post, $"/api/runs/{id}/retry"),
            5 => (HttpMethod.Post, $"/api/runs/{id}/replay"),
            6 => (HttpMethod.Get, $"/api/events/{id}?portalId={query}"),
            7 => (HttpMethod.Get, "/api/rules"),
            8 => (HttpMethod.Get, $"/api/approvals?status={query}&mine={query}&deal={query}&limit={query}"),
            9 => (HttpMethod.Get, $"/api/approvals/{id}"),
            10 or 11 => (HttpMethod.Post, $"/api/approvals/{id}/decision"),
            12 => (HttpMethod.Get, $"/api/exceptions?status={query}&run={query}&limit={query}"),
            13 => (HttpMethod.Get, $"/api/exceptions/{id}"),
            14 => (HttpMethod.Post, $"/api/exceptions/{id}/retry"),
            15 => (HttpMethod.Post, $"/api/exceptions/{id}/skip"),
            16 => (HttpMethod.Post, $"/api/exceptions/{id}/supply"),
            17 => (HttpMethod.Post, $"/api/exceptions/{id}/cancel"),
            18 => (HttpMethod.Post, $"/api/workflows/{id}/pause"),
            19 => (HttpMethod.Post, $"/api/workflows/{Pick(random, "ProcurementApproval", "DealKickoff", id)}/resume"),
            20 => (HttpMethod.Get, $"/api/audit?subject={query}&limit={query}"),
            21 => (HttpMethod.Get, "/api/audit/verify"),
            22 => (HttpMethod.Get, $"/api/audit?subject=approval:{id}"),
            _ => (HttpMethod.Get, $"/api/{query}"),
        };
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post && random.Next(5) != 0)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(6) == 0 ? Pick(random, "text/plain", "application/json; charset=utf-16", "x/;;;") : "application/json");
        }

        var kind = "api";
        switch (random.Next(8))
        {
            case 0:
                kind = "api no auth";
                break;
            case 1:
                kind = "api bad auth";
                request.Headers.TryAddWithoutValidation("Authorization", Pick(random, "Bearer x", "Bearer a.b.c", "Basic abc", "Bearer " + service.Bot.Mint(service.App.Clock.GetUtcNow()), "Bearer"));
                break;
            default:
                request.Headers.Authorization = FuzzService.Bearer(service.ApiTokens[Pick(random, "viewer", "approver", "ops", "admin")]);
                break;
        }

        return new(kind, request, []);
    }

    private FuzzCase Console(Random random, byte[] action)
    {
        var session = random.Next(5) != 0;
        var (method, path) = random.Next(8) switch
        {
            0 => (HttpMethod.Get, "/console/inbox"),
            1 => (HttpMethod.Get, "/console/signin?returnUrl=" + FormEncode(action)),
            2 => (HttpMethod.Post, "/console/signin"),
            3 => (HttpMethod.Get, "/console/"),
            _ => (HttpMethod.Post, "/console/actions"),
        };
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            var fields = new List<string> { "action=" + FormEncode(random.Next(3) == 0 ? Encoding.UTF8.GetBytes(ClickData(random).ToJsonString()) : action) };
            if (random.Next(4) != 0)
            {
                fields.Add("__RequestVerificationToken=" + (random.Next(6) == 0 ? "forged" : Uri.EscapeDataString(service.Console.Antiforgery)));
            }

            fields.Add("suppliedValue=" + FormEncode(action));
            fields.Add("person=" + FormEncode(action));
            request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(string.Join("&", fields)));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(8) == 0 ? "text/plain" : "application/x-www-form-urlencoded");
        }

        return new(session ? "console" : "console no session", request, [], UsesConsoleSession: session);
    }

    private static FuzzCase Misc(Random random, string text) => random.Next(7) switch
    {
        0 => new("health", new HttpRequestMessage(HttpMethod.Get, "/health/live"), []),
        1 => new("health", new HttpRequestMessage(HttpMethod.Get, "/health/ready"), []),
        2 => new("metrics", new HttpRequestMessage(HttpMethod.Get, "/metrics"), []),
        3 => new("jobs dashboard", new HttpRequestMessage(HttpMethod.Get, "/admin/jobs"), []),
        4 => new("console css", new HttpRequestMessage(HttpMethod.Get, "/console/console.css"), []),
        5 => new("unknown path", new HttpRequestMessage(Pick(random, "GET", "POST", "PUT", "DELETE") is var m ? new HttpMethod(m) : HttpMethod.Get, "/" + FormEncode(Utf8(text))), []),
        _ => new("wrong method", new HttpRequestMessage(HttpMethod.Get, Pick(random, "/webhooks/hubspot", "/slack/events", "/api/messages", "/console/actions")), []),
    };

    /// <summary>A body over the endpoint's limit: declared (Content-Length) or sent chunked.</summary>
    private static FuzzCase Oversized(Random random)
    {
        var (path, size) = random.Next(6) switch
        {
            0 => ("/webhooks/hubspot", (1024 * 1024) + 10),
            1 => ("/webhooks/hubspot/workflow", (1024 * 1024) + 10),
            2 => ("/slack/events", (1024 * 1024) + 10),
            3 => ("/slack/commands", (1024 * 1024) + 10),
            4 => ("/api/messages", (512 * 1024) + 10),
            _ => ("/slack/interactivity", (1024 * 1024) + 10),
        };
        var chunked = random.Next(2) == 0;
        var body = new byte[size];
        Array.Fill(body, (byte)'[');
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = chunked ? new ChunkedBody(body) : new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (path.StartsWith("/webhooks", StringComparison.Ordinal))
        {
            request.Headers.Add("X-HubSpot-Signature-v3", "x");
        }

        return new(chunked ? "oversized chunked" : "oversized", request, [], Oversized: true);
    }

    private static byte[] Replace(byte[] body, byte[] find, byte[] with)
    {
        var index = body.AsSpan().IndexOf(find);
        return index < 0 ? body : [.. body.AsSpan(0, index), .. with, .. Replace(body[(index + find.Length)..], find, with)];
    }

    /// <summary>A body sent without Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedBody(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
