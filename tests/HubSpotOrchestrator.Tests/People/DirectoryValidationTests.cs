using HubSpotOrchestrator.People;
using static HubSpotOrchestrator.Tests.Infrastructure.DirectoryJson;

namespace HubSpotOrchestrator.Tests.People;

public sealed class DirectoryValidationTests
{
    [Fact]
    public async Task ShippedDirectory_LoadsWithoutErrors()
    {
        var result = await DirectoryLoader.LoadAsync(ShippedPath);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public async Task ShippedDirectory_HasThePeopleTheApprovalPolicyNeeds()
    {
        var directory = (await DirectoryLoader.LoadAsync(ShippedPath)).Snapshot!;
        var at = new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);

        var owner = directory.FindByHubSpotOwnerId("77");
        Assert.NotNull(owner);
        Assert.Same(owner, directory.FindByHubSpotUserId("userId:77"));
        Assert.Contains("sales-rep", owner.Roles);

        var vps = directory.WithRole("sales-vp");
        Assert.Equal(2, vps.Count);
        var away = Assert.Single(vps, p => p.Delegate is not null && p.OutOfOffice is not null);
        Assert.True(away.OutOfOffice!.Until < at, "the sample out-of-office window lies in the past");
        Assert.NotNull(directory.Find(away.Delegate!));

        Assert.Single(directory.WithRole("sales-director"));
        Assert.Equal(2, directory.WithRole("finance").Count);
        Assert.Single(directory.WithRole("cfo"));
        Assert.Single(directory.WithRole("legal"));
        Assert.Contains(directory.WithRole("ops"), p => p.HasRole("admin"));
        Assert.All(directory.People, p => Assert.EndsWith("@example.com", p.Email, StringComparison.Ordinal));

        // The approval clicks in the shared fixtures come from a sales VP, not from the deal owner.
        var clicker = directory.FindByTeamsAadObjectId("00000000-0000-0000-0000-000000000077");
        Assert.NotNull(clicker);
        Assert.Same(clicker, directory.FindBySlackUserId("U2CERLKJA"));
        Assert.Contains(clicker, vps);
    }

    [Fact]
    public void InvalidJson_IsReportedWithItsLine()
    {
        var error = Assert.Single(Errors("{\n  \"people\": [\n    { \"id\": \"a\", }\n    { \"id\": \"b\" }\n  ]\n}"));
        Assert.Equal(4, error.Line);
        Assert.StartsWith("dir.json:4: invalid JSON", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{ }", "missing field \"people\"")]
    [InlineData("{ \"people\": {} }", "\"people\" must be an array")]
    [InlineData("{ \"people\": [] }", "\"people\" is empty")]
    [InlineData("{ \"people\": [ 42 ] }", "must be an object")]
    public void WrongShape_IsRefused(string json, string expected)
    {
        var error = Assert.Single(Errors(json));
        Assert.Equal(1, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("dir.json:1:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTopLevelField_IsNamed()
    {
        var error = Assert.Single(Errors("{\n  \"poeple\": [],\n  \"people\": [ " + Person("a") + " ]\n}"));
        Assert.Equal(2, error.Line);
        Assert.Contains("unknown field \"poeple\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledField_IsNamedWithItsLineAndASuggestion()
    {
        var json = """
            {
              "people": [
                {
                  "id": "alice",
                  "name": "Alice",
                  "email": "alice@example.com",
                  "role": ["sales-rep"]
                }
              ]
            }
            """;
        var errors = Errors(json);
        var unknown = Assert.Single(errors, e => e.Message.Contains("unknown field \"role\"", StringComparison.Ordinal));
        Assert.Equal(7, unknown.Line);
        Assert.Contains("did you mean \"roles\"", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("dir.json:7: person \"alice\": " + unknown.Message, unknown.ToString());
        Assert.Contains(errors, e => e.Person == "alice" && e.Message.Contains("\"roles\" is missing", StringComparison.Ordinal) && e.Line == 3);
    }

    [Theory]
    [InlineData("{ \"name\": \"No Id\", \"email\": \"x@example.com\", \"roles\": [\"ops\"] }", "#2", "\"id\" is missing")]
    [InlineData("{ \"id\": \"\", \"name\": \"No Id\", \"email\": \"x@example.com\", \"roles\": [\"ops\"] }", "#2", "\"id\" is missing")]
    [InlineData("{ \"id\": \"bob smith\", \"name\": \"Bob\", \"email\": \"x@example.com\", \"roles\": [\"ops\"] }", "bob smith", "may contain only letters")]
    [InlineData("{ \"id\": \"ALICE\", \"name\": \"Alice 2\", \"email\": \"x@example.com\", \"roles\": [\"ops\"] }", "ALICE", "id \"ALICE\" is already used by person \"alice\"")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"  \", \"email\": \"bob@example.com\", \"roles\": [\"ops\"] }", "bob", "\"name\" is missing or empty")]
    [InlineData("{ \"id\": \"bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"] }", "bob", "\"name\" is missing or empty")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"roles\": [\"ops\"] }", "bob", "\"email\" is missing")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob.example.com\", \"roles\": [\"ops\"] }", "bob", "does not look like an email address")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"Alice@Example.com\", \"roles\": [\"ops\"] }", "bob", "email \"Alice@Example.com\" is already used by person \"alice\"")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [] }", "bob", "\"roles\" is empty")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": \"ops\" }", "bob", "must be a list of role names")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"Sales-VP\"] }", "bob", "role \"Sales-VP\" must be lowercase")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"sales vp\"] }", "bob", "role \"sales vp\" must be lowercase")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\", \"ops\"] }", "bob", "listed twice")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"], \"delegate\": \"nobody\" }", "bob", "delegate \"nobody\" is not a person in the directory")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"], \"delegate\": \"BOB\" }", "bob", "names the person themself")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"], \"active\": \"yes\" }", "bob", "\"active\" must be true or false")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"], \"slackUserId\": 12 }", "bob", "\"slackUserId\" must be a string")]
    [InlineData("{ \"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"], \"id\": \"bob2\" }", "bob", "field \"id\" appears twice")]
    public void InvalidPerson_IsRefusedNamingFileLineAndPerson(string secondPerson, string person, string expected)
    {
        var error = Assert.Single(Errors(Doc(Person("alice"), secondPerson)));
        Assert.Equal(LineOfPerson(1), error.Line);
        Assert.Equal(person, error.Person);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var label = person.StartsWith('#') ? "person " + person : $"person \"{person}\"";
        Assert.Equal($"dir.json:4: {label}: {error.Message}", error.ToString());
    }

    [Fact]
    public void ALoneSurrogateInTheFile_IsAnErrorNamingTheField_NotAnException()
    {
        // Valid JSON syntax, but the reader throws when the string is read (before: an unhandled exception; `directory lint` crashed).
        var error = Assert.Single(Errors(Doc(Person("alice"), "{ \"id\": \"bob\", \"name\": \"\\ud800\", \"email\": \"bob@example.com\", \"roles\": [\"ops\"] }")));
        Assert.Contains("\"name\" is not valid text", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"from\": \"2026-08-17T00:00:00Z\", \"until\": \"2026-08-03T00:00:00Z\" }", "must be before \"until\"")]
    [InlineData("{ \"from\": \"2026-08-03T00:00:00Z\", \"until\": \"2026-08-03T00:00:00Z\" }", "must be before \"until\"")]
    [InlineData("{ \"from\": \"2026-08-03T00:00:00\", \"until\": \"2026-08-17T00:00:00Z\" }", "with an offset")]
    [InlineData("{ \"from\": \"next monday\", \"until\": \"2026-08-17T00:00:00Z\" }", "with an offset")]
    [InlineData("{ \"until\": \"2026-08-17T00:00:00Z\" }", "missing \"from\"")]
    [InlineData("{ \"from\": \"2026-08-03T00:00:00Z\", \"to\": \"2026-08-17T00:00:00Z\" }", "unknown field \"to\" in outOfOffice")]
    [InlineData("\"2026-08-03\"", "must be an object")]
    public void InvalidOutOfOffice_IsRefused(string outOfOffice, string expected)
    {
        var errors = Errors(Doc(Person("alice", ", \"outOfOffice\": " + outOfOffice)));
        var error = Assert.Single(errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal("alice", error.Person);
        Assert.Equal(LineOfPerson(0), error.Line);
    }

    [Theory]
    [InlineData("teamsAadObjectId", "\"3f6c2a51-8d0e-4b7a-9c12-5e4f7a8b9d01\"", "\"3F6C2A51-8D0E-4B7A-9C12-5E4F7A8B9D01\"")]
    [InlineData("teamsUserId", "\"29:1abc\"", "\"29:1abc\"")]
    [InlineData("slackUserId", "\"U0123ABCD\"", "\"U0123ABCD\"")]
    [InlineData("hubSpotOwnerId", "\"77\"", "77")]
    [InlineData("hubSpotUserId", "77", "\"77\"")]
    public void ChannelIdUsedTwice_IsRefusedOnTheSecondPerson(string field, string first, string second)
    {
        var error = Assert.Single(Errors(Doc(
            Person("alice", $", \"{field}\": {first}"),
            Person("bob", $", \"{field}\": {second}"))));
        Assert.Equal("bob", error.Person);
        Assert.Equal(LineOfPerson(1), error.Line);
        Assert.Contains($"{field} ", error.Message, StringComparison.Ordinal);
        Assert.Contains("is already used by person \"alice\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teamsAadObjectId", "not-a-guid", "is not a GUID")]
    [InlineData("slackUserId", "u0123abcd", "is not a Slack user id")]
    [InlineData("hubSpotOwnerId", "owner-77", "numeric HubSpot owner id")]
    [InlineData("hubSpotUserId", "userId:77", "numeric HubSpot user id")]
    [InlineData("teamsUserId", "", "is empty; omit the field")]
    public void MalformedChannelId_IsRefused(string field, string value, string expected)
    {
        var error = Assert.Single(Errors(Doc(Person("alice", $", \"{field}\": \"{value}\""))));
        Assert.Equal("alice", error.Person);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorInTheFile_IsReportedAtOnce()
    {
        var errors = Errors(Doc(
            Person("alice", ", \"delegate\": \"ghost\""),
            Person("bob", roles: "\"Admin\""),
            "{ \"id\": \"alice\", \"name\": \"Alice Two\", \"email\": \"alice.two@example.com\", \"roles\": [\"ops\"] }"));
        Assert.Equal(3, errors.Count);
        Assert.Equal([("alice", 3), ("bob", 4), ("alice", 5)], errors.Select(e => (e.Person!, e.Line!.Value)));
    }

    [Fact]
    public void ValidFile_BuildsPeopleWithDefaultsAndAContentVersion()
    {
        var json = Doc(
            Person("alice", ", \"hubSpotOwnerId\": 77, \"delegate\": \"BOB\", \"outOfOffice\": { \"from\": \"2026-08-03T00:00:00+02:00\", \"until\": \"2026-08-17T00:00:00Z\" }"),
            Person("bob", ", \"active\": false", roles: "\"finance\", \"cfo\""));
        var directory = Load(json);

        var alice = directory.Find("alice")!;
        Assert.Equal("77", alice.HubSpotOwnerId);
        Assert.Equal("bob", alice.Delegate);
        Assert.Equal(new DateTimeOffset(2026, 8, 2, 22, 0, 0, TimeSpan.Zero), alice.OutOfOffice!.From);
        Assert.True(alice.Active);
        Assert.False(directory.Find("bob")!.Active);
        Assert.Equal(["finance", "cfo"], directory.Find("bob")!.Roles);
        Assert.Matches("^sha256:[0-9a-f]{16}$", directory.Version);
        Assert.Equal(directory.Version, Load(json).Version);
        Assert.NotEqual(directory.Version, Load(json.Replace("Name bob", "Name Bob", StringComparison.Ordinal)).Version);
    }

    [Fact]
    public void CommentsTrailingCommasAndByteOrderMark_AreAccepted()
    {
        var json = "\uFEFF{\n  // ops notes\n  \"people\": [\n    " + Person("alice") + ",\n  ],\n}\n";
        Assert.Single(Load(json).People);
    }
}
