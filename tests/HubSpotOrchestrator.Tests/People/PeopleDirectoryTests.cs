using Microsoft.Extensions.Time.Testing;
using static HubSpotOrchestrator.Tests.Infrastructure.DirectoryJson;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Tests.People;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859:Use concrete types when possible for improved performance", Justification = "The tests exercise the IPeopleDirectory contract that the service's callers use.")]
public sealed class PeopleDirectoryTests
{
    private static readonly DateTimeOffset Away = new(2026, 8, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Back = new(2026, 8, 17, 0, 0, 0, TimeSpan.Zero);

    private static readonly string Json = Doc(
        Person("rep", ", \"teamsAadObjectId\": \"3f6c2a51-8d0e-4b7a-9c12-5e4f7a8b9d01\", \"teamsUserId\": \"29:1rep\", \"slackUserId\": \"U04REP001\", \"hubSpotOwnerId\": \"77\", \"hubSpotUserId\": \"77\""),
        Person("vp.away", ", \"delegate\": \"director\", \"outOfOffice\": { \"from\": \"2026-08-03T00:00:00Z\", \"until\": \"2026-08-17T00:00:00Z\" }", roles: "\"sales-vp\""),
        Person("vp.here", ", \"delegate\": \"director\"", roles: "\"sales-vp\""),
        Person("director", roles: "\"sales-director\""),
        Person("vp.gone", ", \"delegate\": \"director\", \"active\": false", roles: "\"sales-vp\""),
        Person("former", ", \"active\": false", roles: "\"sales-director\""),
        Person("cfo", ", \"delegate\": \"former\"", roles: "\"cfo\", \"finance\""));

    private readonly HubSpotOrchestrator.People.IPeopleDirectory _directory = Load(Json);

    [Fact]
    public void Find_MatchesIdIgnoringCase()
    {
        Assert.Equal("vp.away", _directory.Find("VP.Away")?.Id);
        Assert.Null(_directory.Find("nobody"));
        Assert.Null(_directory.Find(""));
    }

    [Fact]
    public void ChannelLookups_FindTheSamePerson()
    {
        var rep = _directory.Find("rep")!;
        Assert.Same(rep, _directory.FindByEmail("REP@Example.com"));
        Assert.Same(rep, _directory.FindByTeamsAadObjectId("3F6C2A51-8D0E-4B7A-9C12-5E4F7A8B9D01"));
        Assert.Same(rep, _directory.FindByTeamsUserId("29:1rep"));
        Assert.Same(rep, _directory.FindBySlackUserId("U04REP001"));
        Assert.Same(rep, _directory.FindByHubSpotOwnerId("77"));
        Assert.Same(rep, _directory.FindByHubSpotUserId("77"));
        Assert.Same(rep, _directory.FindByHubSpotUserId("userId:77"));
    }

    [Fact]
    public void ChannelLookups_ReturnNullForUnknownIds()
    {
        Assert.Null(_directory.FindByEmail("ghost@example.com"));
        Assert.Null(_directory.FindByTeamsAadObjectId("00000000-0000-0000-0000-000000000000"));
        Assert.Null(_directory.FindByTeamsUserId("29:1ghost"));
        Assert.Null(_directory.FindBySlackUserId("U04GHOST1"));
        Assert.Null(_directory.FindByHubSpotOwnerId("78"));
        Assert.Null(_directory.FindByHubSpotUserId("app:1160452"));
    }

    [Fact]
    public void WithRole_ListsActivePeopleOnly_IgnoringCase()
    {
        Assert.Equal(["vp.away", "vp.here"], _directory.WithRole("Sales-VP").Select(p => p.Id));
        Assert.Equal(["director"], _directory.WithRole("sales-director").Select(p => p.Id));
        Assert.Equal(["cfo"], _directory.WithRole("finance").Select(p => p.Id));
        Assert.Empty(_directory.WithRole("legal"));
    }

    [Fact]
    public void IsAbsent_InsideTheOutOfOfficeWindowOnly()
    {
        var vp = _directory.Find("vp.away")!;
        Assert.True(_directory.IsAbsent(vp, vp.OutOfOffice!.From));
        Assert.True(_directory.IsAbsent(vp, Away));
        Assert.False(_directory.IsAbsent(vp, Back));
        Assert.False(_directory.IsAbsent(vp, vp.OutOfOffice.From.AddTicks(-1)));
        Assert.False(_directory.IsAbsent(_directory.Find("vp.here")!, Away));
    }

    [Fact]
    public void IsAbsent_AlwaysForInactivePeople()
    {
        Assert.True(_directory.IsAbsent(_directory.Find("former")!, Back));
    }

    [Fact]
    public void ActingAs_IncludesAbsentDelegators_ButNotPresentOnes()
    {
        var director = _directory.Find("director")!;
        Assert.Equal(["director", "vp.away", "vp.gone"], _directory.ActingAs(director, Away).Select(p => p.Id));
        Assert.Equal(["director", "vp.gone"], _directory.ActingAs(director, Back).Select(p => p.Id));
    }

    [Fact]
    public void ActingAs_FollowsAFakeClockAcrossTheWindow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 8, 2, 23, 0, 0, TimeSpan.Zero));
        var director = _directory.Find("director")!;
        Assert.DoesNotContain(_directory.ActingAs(director, clock.GetUtcNow()), p => p.Id == "vp.away");
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Contains(_directory.ActingAs(director, clock.GetUtcNow()), p => p.Id == "vp.away");
        clock.Advance(TimeSpan.FromDays(14));
        Assert.DoesNotContain(_directory.ActingAs(director, clock.GetUtcNow()), p => p.Id == "vp.away");
    }

    [Fact]
    public void ActingAs_WithoutDelegations_IsJustThemself()
    {
        Assert.Equal(["vp.here"], _directory.ActingAs(_directory.Find("vp.here")!, Away).Select(p => p.Id));
    }

    [Fact]
    public void ActingAs_IsEmptyForInactiveOrUnknownActors()
    {
        Assert.Empty(_directory.ActingAs(_directory.Find("former")!, Away));
        Assert.Empty(_directory.ActingAs(new HubSpotOrchestrator.People.Person("stranger", "Stranger", "s@example.com", ["cfo"]), Away));
    }

    [Fact]
    public void ActingAs_UsesTheDirectorysCurrentEntryNotAStaleCopy()
    {
        var staleDirector = _directory.Find("director")! with { Active = false };
        Assert.Equal("director", _directory.ActingAs(staleDirector, Away)[0].Id);
    }
}
