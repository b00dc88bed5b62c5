using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

internal static class Fixtures
{
    public static byte[] HubSpot(string name) => File.ReadAllBytes(TestPaths.Fixture($"hubspot/{name}.json"));

    /// <summary>The fixture with its event ids moved by <paramref name="offset"/>, so tests sharing one service do not collide.</summary>
    public static byte[] HubSpotWithIds(string name, long offset)
    {
        var events = JsonNode.Parse(HubSpot(name))!.AsArray();
        foreach (var e in events)
        {
            e!["eventId"] = e["eventId"]!.GetValue<long>() + offset;
        }

        return Encoding.UTF8.GetBytes(events.ToJsonString());
    }
}
