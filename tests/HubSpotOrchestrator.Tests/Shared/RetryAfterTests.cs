using System.Net;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 25, 16, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData(" 120 ", 120)]
    [InlineData("3600", 3600)]
    public void DelaySeconds_AreAWaitFromNow(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, Now));

    [Theory]
    [InlineData("Tue, 25 Nov 2025 16:00:30 GMT")] // IMF-fixdate
    [InlineData("Tuesday, 25-Nov-25 16:00:30 GMT")] // obsolete RFC 850
    [InlineData("Tue Nov 25 16:00:30 2025")] // obsolete asctime
    public void HttpDates_InEveryFormAWriterMayUse_AreAWaitFromNow(string value) =>
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse(value, Now));

    [Fact]
    public void AsctimeWithASpacePaddedDay_IsRead() =>
        Assert.Equal(TimeSpan.FromHours(1), RetryAfter.Parse("Sat Nov  1 01:00:00 2025", new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Rfc850TwoDigitYears_MoreThan50YearsAhead_AreInThePastCentury()
    {
        // "94" would be 2094, more than 50 years ahead: it is 1994, so the wait is zero.
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Sunday, 06-Nov-94 08:49:37 GMT", Now));

        // "75" is 2075, under 50 years ahead: a long wait, clamped.
        Assert.Equal(RetryAfter.DefaultMax, RetryAfter.Parse("Wednesday, 06-Nov-75 08:49:37 GMT", Now));
    }

    [Fact]
    public void ADateInThePast_IsNoWait() =>
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Tue, 25 Nov 2025 15:59:00 GMT", Now));

    [Theory]
    [InlineData("120", 60)]
    [InlineData("99999999999999999999999999", 60)]
    [InlineData("Tue, 25 Nov 2025 17:00:00 GMT", 60)]
    public void Waits_AreClampedToTheCeiling(string value, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfter.Parse(value, Now, TimeSpan.FromSeconds(60)));

    [Fact]
    public void WithoutACeiling_TheDefaultOneApplies() =>
        Assert.Equal(RetryAfter.DefaultMax, RetryAfter.Parse("99999999999", Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("2025-11-25T16:00:30Z")]
    [InlineData("Tue, 25 Nov 2025 16:00:30 PST")]
    public void InvalidValues_AreNull(string? value) => Assert.Null(RetryAfter.Parse(value, Now));

    [Fact]
    public void NegativeCeiling_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryAfter.Parse("1", Now, TimeSpan.FromSeconds(-1)));

    [Fact]
    public void Read_TakesTheResponseHeader_OnTheGivenClock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Null(RetryAfter.Read(response.Headers, time));

        response.Headers.TryAddWithoutValidation("Retry-After", "Tue, 25 Nov 2025 16:00:10 GMT");
        Assert.Equal(TimeSpan.FromSeconds(10), RetryAfter.Read(response.Headers, time));

        using var seconds = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "86400000000");
        Assert.Equal(TimeSpan.FromMinutes(5), RetryAfter.Read(seconds.Headers, time, TimeSpan.FromMinutes(5)));
    }
}
