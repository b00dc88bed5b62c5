using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class BackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(4, 4, 8)]
    public void Attempts_DoubleWithEqualJitter(int attempt, double lowSeconds, double highSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(lowSeconds), Backoff.Delay(attempt, Second, TimeSpan.FromMinutes(1), random: new FixedRandom(0)));
        Assert.Equal(TimeSpan.FromSeconds(highSeconds), Backoff.Delay(attempt, Second, TimeSpan.FromMinutes(1), random: new FixedRandom(1)));
    }

    [Fact]
    public void Jitter_StaysWithinHalfAndAllOfTheExponentialDelay()
    {
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var delay = Backoff.Delay(3, Second, TimeSpan.FromMinutes(1), random: random);
            Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        }
    }

    [Fact]
    public void TheExponentialPart_IsCapped_EvenForAbsurdAttemptNumbers()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Backoff.Delay(30, Second, TimeSpan.FromSeconds(10), random: new FixedRandom(1)));
        Assert.Equal(TimeSpan.FromSeconds(10), Backoff.Delay(int.MaxValue, Second, TimeSpan.FromSeconds(10), random: new FixedRandom(1)));

        // Uncapped: the largest TimeSpan there is (give or take a double's precision), not an overflow.
        Assert.True(Backoff.Delay(int.MaxValue, TimeSpan.FromDays(1), TimeSpan.MaxValue, random: new FixedRandom(1)) > TimeSpan.FromDays(10_000_000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void AttemptsBelowOne_CountAsTheFirst(int attempt) =>
        Assert.Equal(Second, Backoff.Delay(attempt, Second, TimeSpan.FromMinutes(1), random: new FixedRandom(1)));

    [Fact]
    public void RetryAfter_WinsWhenLonger_EvenPastTheCap()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Backoff.Delay(1, Second, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), new FixedRandom(1)));
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.Delay(3, Second, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), new FixedRandom(1)));
    }

    [Fact]
    public void ZeroBaseDelay_IsNoWait() => Assert.Equal(TimeSpan.Zero, Backoff.Delay(5, TimeSpan.Zero, TimeSpan.FromMinutes(1)));

    [Fact]
    public void NegativeDelays_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(1, TimeSpan.FromSeconds(-1), Second));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(1, Second, TimeSpan.FromSeconds(-1)));
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
