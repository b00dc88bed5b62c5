using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class SafeJsonTests
{
    [Theory]
    [InlineData("{\"n\":12}", JsonFieldStatus.Ok, null)]
    [InlineData("{}", JsonFieldStatus.Missing, "\"n\" is missing")]
    [InlineData("{\"n\":\"12\"}", JsonFieldStatus.Invalid, "\"n\" must be an integer, got a string")]
    [InlineData("{\"n\":null}", JsonFieldStatus.Invalid, "\"n\" must be an integer, got null")]
    [InlineData("{\"n\":true}", JsonFieldStatus.Invalid, "\"n\" must be an integer, got a boolean")]
    [InlineData("{\"n\":{}}", JsonFieldStatus.Invalid, "\"n\" must be an integer, got an object")]
    [InlineData("{\"n\":1.5}", JsonFieldStatus.Invalid, "\"n\" must be a 64-bit integer, got 1.5")]
    [InlineData("{\"n\":9223372036854775808}", JsonFieldStatus.Invalid, "\"n\" must be a 64-bit integer")]
    [InlineData("[1]", JsonFieldStatus.Missing, "\"n\" is missing")]
    public void Int64Field_NeverThrows_AndNamesTheField(string json, JsonFieldStatus status, string? problem)
    {
        using var document = JsonDocument.Parse(json);

        var field = SafeJson.Int64Field(document.RootElement, "n");

        Assert.Equal(status, field.Status);
        if (problem is null)
        {
            Assert.Equal(12, field.Value);
        }
        else
        {
            Assert.StartsWith(problem, field.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Int32Field_RefusesNumbersBeyond32Bits() =>
        Assert.StartsWith("\"n\" must be a 32-bit integer", SafeJson.Int32Field(JsonDocument.Parse("{\"n\":2147483648}").RootElement, "n").Problem, StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"s\":\"ok\"}", null)]
    [InlineData("{\"s\":\"\\ud800\"}", "\"s\" is not valid text")]
    [InlineData("{\"s\":5}", "\"s\" must be a string, got a number")]
    public void StringField_RefusesOtherKindsAndUndecodableText(string json, string? problem)
    {
        using var document = JsonDocument.Parse(json);
        var field = SafeJson.StringField(document.RootElement, "s");
        Assert.Equal(problem, field.Problem is null ? null : field.Problem[..problem!.Length]);
    }

    [Fact]
    public void Validate_AcceptsSixtyFourLevels_AndNamesTheSixtyFifth()
    {
        Assert.Null(SafeJson.Validate(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))));
        Assert.Equal("the event nests deeper than 64 levels", SafeJson.Validate(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65)), subject: "the event"));
        Assert.Equal("the event nests deeper than 64 levels", SafeJson.Validate(Encoding.UTF8.GetBytes(new string('{', 1) + "\"a\":" + new string('[', 100_000)), subject: "the event"));
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}", "\"a\" is not valid text")]
    [InlineData("{\"a\":1,\"\\udfff\":2}", "a property name after \"a\" is not valid text")]
    [InlineData("[\"\\udc00\\ud800\"]", "a string is not valid text")]
    [InlineData("{\"a\":", "the JSON is not valid JSON")]
    public void Validate_NamesWhatCannotBeRead(string json, string problem) =>
        Assert.StartsWith(problem, SafeJson.Validate(json), StringComparison.Ordinal);

    [Fact]
    public void Validate_NamesInvalidUtf8() =>
        Assert.StartsWith("\"a\" is not valid text", SafeJson.Validate([.. "{\"a\":\"caf"u8, 0xFF, .. "\"}"u8]), StringComparison.Ordinal);

    [Fact]
    public void TryGetProperty_DoesNotThrow_PastAPropertyNameThatCannotBeDecoded()
    {
        using var document = JsonDocument.Parse("{\"\\ud800\":1,\"a\":2}");
        Assert.False(SafeJson.TryGetProperty(document.RootElement, "b", out _));
        Assert.Throws<InvalidOperationException>(() => document.RootElement.TryGetProperty("b", out _)); // what it guards against
    }

    [Fact]
    public void ParseObject_RefusesDuplicateNamesAndUndecodableText_WhichJsonNodeOnlyThrowsForWhenRead()
    {
        Assert.Null(SafeJson.ParseObject("{\"a\":1,\"a\":2}", out var duplicate));
        Assert.Contains("the same property name twice", duplicate, StringComparison.Ordinal);
        Assert.Null(SafeJson.ParseObject("{\"a\":\"\\ud800\"}", out var surrogate));
        Assert.Contains("\"a\" is not valid text", surrogate, StringComparison.Ordinal);
        Assert.Equal("x", SafeJson.Text(SafeJson.ParseObject("{\"a\":\"x\"}", out _), "a"));
        Assert.False(SafeJson.IsReadable(JsonNode.Parse("{\"a\":[\"\\ud800\"]}")));
    }

    [Fact]
    public void IdProblem_CountsUtf8Bytes_AndRefusesLoneSurrogates()
    {
        Assert.Null(SafeJson.IdProblem("id", new string('a', 256)));
        Assert.Contains("longer than 256 characters", SafeJson.IdProblem("id", new string('a', 257)), StringComparison.Ordinal);
        Assert.Contains("longer than 256 bytes", SafeJson.IdProblem("id", new string('\u20ac', 100)), StringComparison.Ordinal);
        Assert.Contains("lone surrogate", SafeJson.IdProblem("id", "a\ud800"), StringComparison.Ordinal);
        Assert.Null(SafeJson.IdProblem("id", "\ud83d\ude00"));
    }

    [Fact]
    public void Excerpt_NeverCutsASurrogatePair() =>
        Assert.Null(SafeJson.TextProblem("x", SafeJson.Excerpt(new string('a', 39) + "\ud83d\ude00" + new string('b', 10))));
}
