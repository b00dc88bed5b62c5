using System.Text;
using System.Text.Json;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Webhooks;

public class HubSpotSignatureTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("hubspot/signature-vectors.json"))).RootElement;
    private static readonly string Secret = Vectors.GetProperty("clientSecret").GetString()!;

    public static TheoryData<int> VectorIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Vectors.GetProperty("vectors").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Compute_MatchesOfficialClient_ForEveryVector(int index)
    {
        var v = Vectors.GetProperty("vectors")[index];
        var body = Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!);
        var method = v.GetProperty("method").GetString()!;
        var expected = v.GetProperty("signature").GetString()!;
        var actual = v.GetProperty("version").GetString() switch
        {
            "v1" => HubSpotSignature.V1(Secret, body),
            "v2" => HubSpotSignature.V2(Secret, method, v.GetProperty("url").GetString()!, body),
            _ => HubSpotSignature.V3(Secret, method, v.GetProperty("url").GetString()!, body, v.GetProperty("timestamp").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Verify_AcceptsEveryVector_WhenClockIsAtItsTimestamp(int index)
    {
        var v = Vectors.GetProperty("vectors")[index];
        var version = v.GetProperty("version").GetString()!;
        var (verifier, _) = Verifier(allowLegacy: version != "v3", at: DateTimeOffset.FromUnixTimeMilliseconds(1764086400000));
        var request = Request(v, version);
        var result = verifier.Verify(request, Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!));
        Assert.True(result.Verified, result.Failure);
        Assert.Equal(version, result.Method);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public void Verify_RejectsV3_WhenTimestampIsSixMinutesFromNow(int minutes)
    {
        var v = Vectors.GetProperty("vectors")[3];
        var (verifier, _) = Verifier(allowLegacy: false, at: DateTimeOffset.FromUnixTimeMilliseconds(1764086400000).AddMinutes(-minutes));
        var result = verifier.Verify(Request(v, "v3"), Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!));
        Assert.False(result.Verified);
        Assert.Contains("5 minutes", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AcceptsV3_AtTheEdgeOfTheWindow()
    {
        var v = Vectors.GetProperty("vectors")[3];
        var (verifier, _) = Verifier(allowLegacy: false, at: DateTimeOffset.FromUnixTimeMilliseconds(1764086400000).AddMinutes(5));
        Assert.True(verifier.Verify(Request(v, "v3"), Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!)).Verified);
    }

    [Fact]
    public void Verify_RejectsV3_WhenBodyIsTampered()
    {
        var v = Vectors.GetProperty("vectors")[3];
        var (verifier, _) = Verifier(allowLegacy: false, at: DateTimeOffset.FromUnixTimeMilliseconds(1764086400000));
        var tampered = Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!.Replace("123", "124", StringComparison.Ordinal));
        Assert.False(verifier.Verify(Request(v, "v3"), tampered).Verified);
    }

    [Fact]
    public void Verify_RejectsLegacySignatures_UnlessEnabled()
    {
        var v = Vectors.GetProperty("vectors")[0];
        var (verifier, _) = Verifier(allowLegacy: false, at: DateTimeOffset.UtcNow);
        var result = verifier.Verify(Request(v, "v1"), Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!));
        Assert.False(result.Verified);
        Assert.Contains("AllowLegacySignatures", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AcceptsPreviousSecret_DuringRotation()
    {
        var v = Vectors.GetProperty("vectors")[3];
        var (verifier, options) = Verifier(allowLegacy: false, at: DateTimeOffset.FromUnixTimeMilliseconds(1764086400000));
        options.ClientSecret = "the-new-secret";
        options.PreviousClientSecret = Secret;
        Assert.True(verifier.Verify(Request(v, "v3"), Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!)).Verified);
        options.PreviousClientSecret = null;
        Assert.False(verifier.Verify(Request(v, "v3"), Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!)).Verified);
    }

    [Theory]
    [InlineData("https://x.test/a%3Ab%2fc%3F%40%21%24%27%28%29%2A%2C%3B", "https://x.test/a:b/c?@!$'()*,;")]
    [InlineData("https://x.test/q?name=a%20b+c%26d", "https://x.test/q?name=a%20b+c%26d")]
    public void DecodeUriForV3_DecodesExactlyHubSpotsList(string raw, string expected) =>
        Assert.Equal(expected, HubSpotSignature.DecodeUriForV3(raw));

    private static HttpRequest Request(JsonElement v, string version)
    {
        var context = new DefaultHttpContext();
        var url = new Uri(v.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "https://orchestrator.example.com/webhooks/hubspot");
        context.Request.Method = v.GetProperty("method").GetString()!;
        context.Request.Scheme = url.Scheme;
        context.Request.Host = new HostString(url.Host);
        context.Request.Path = url.AbsolutePath;
        context.Request.QueryString = new QueryString(url.Query);
        if (version == "v3")
        {
            context.Request.Headers["X-HubSpot-Signature-v3"] = v.GetProperty("signature").GetString();
            context.Request.Headers["X-HubSpot-Request-Timestamp"] = v.GetProperty("timestamp").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            context.Request.Headers["X-HubSpot-Signature"] = v.GetProperty("signature").GetString();
            context.Request.Headers["X-HubSpot-Signature-Version"] = version;
        }

        return context.Request;
    }

    private static (HubSpotRequestVerifier, HubSpotWebhookOptions) Verifier(bool allowLegacy, DateTimeOffset at)
    {
        var options = new HubSpotWebhookOptions { ClientSecret = Secret, AllowLegacySignatures = allowLegacy };
        var monitor = new StaticOptionsMonitor<HubSpotWebhookOptions>(options);
        var keys = new LocalKeys(Options.Create(new StorageOptions { DataPath = TestPaths.NewTempDir() }));
        return (new HubSpotRequestVerifier(monitor, keys, new FakeTimeProvider(at)), options);
    }
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
