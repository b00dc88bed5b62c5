using System.Text;
using System.Text.Json;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

public sealed class SlackSignatureVerifierTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("slack/signature-vector.json"))).RootElement;
    private static readonly string Timestamp = Vector.GetProperty("timestamp").GetString()!;
    private static readonly string Body = Vector.GetProperty("body").GetString()!;
    private static readonly string Expected = Vector.GetProperty("expectedSignature").GetString()!;

    [Fact]
    public void SlackDocumentationVector_Verifies()
    {
        var result = Verifier(secondsAfterTimestamp: 10).Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body));
        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void TamperedBody_IsAMismatch()
    {
        var result = Verifier(10).Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body.Replace("roadrunner", "wile.e", StringComparison.Ordinal)));
        Assert.Equal(SlackSignatureFailure.Mismatch, result.Failure);
    }

    [Fact]
    public void WrongSecret_IsAMismatch()
    {
        var result = Verifier(10, secret: "another-secret").Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body));
        Assert.Equal(SlackSignatureFailure.Mismatch, result.Failure);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void TimestampMoreThanFiveMinutesAway_IsStale(int secondsAfterTimestamp)
    {
        var result = Verifier(secondsAfterTimestamp).Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body));
        Assert.Equal(SlackSignatureFailure.StaleTimestamp, result.Failure);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void TimestampExactlyFiveMinutesAway_IsAccepted(int secondsAfterTimestamp)
    {
        Assert.True(Verifier(secondsAfterTimestamp).Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body)).IsValid);
    }

    [Theory]
    [InlineData(null, "1531420618", SlackSignatureFailure.MissingSignature)]
    [InlineData("v0=abc", null, SlackSignatureFailure.MissingTimestamp)]
    [InlineData("v0=abc", "15314x0618", SlackSignatureFailure.MalformedTimestamp)]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618", SlackSignatureFailure.MalformedSignature)]
    [InlineData("v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50", "1531420618", SlackSignatureFailure.MalformedSignature)]
    public void MalformedHeaders_AreRejectedWithTheirReason(string? signature, string? timestamp, SlackSignatureFailure expected)
    {
        Assert.Equal(expected, Verifier(10).Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)).Failure);
    }

    [Fact]
    public void WithoutASigningSecret_EverythingIsRejected()
    {
        using var services = TestHost.Build([], (s, c) => s.AddSlackChannel(c), new FakeTimeProvider());
        var result = services.GetRequiredService<SlackSignatureVerifier>().Verify(Expected, Timestamp, Encoding.UTF8.GetBytes(Body));
        Assert.Equal(SlackSignatureFailure.NotConfigured, result.Failure);
    }

    private static SlackSignatureVerifier Verifier(int secondsAfterTimestamp, string? secret = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture) + secondsAfterTimestamp));
        var services = TestHost.Build(
            new() { ["Slack:SigningSecret"] = secret ?? Vector.GetProperty("signingSecret").GetString(), ["Slack:BotToken"] = "xoxb-test" },
            (s, c) => s.AddSlackChannel(c),
            time);
        return services.GetRequiredService<SlackSignatureVerifier>();
    }
}
