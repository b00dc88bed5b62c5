using HubSpotOrchestrator.Channels.Teams;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

public sealed class KeyedPacerTests
{
    [Fact]
    public async Task WaitAsync_HoldsTheCallOverTheLimit_UntilTheWindowSlides()
    {
        var time = new FakeTimeProvider();
        var pacer = new KeyedPacer(2, TimeSpan.FromSeconds(1), time);

        Assert.True(pacer.WaitAsync("c", CancellationToken.None).IsCompletedSuccessfully);
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.True(pacer.WaitAsync("c", CancellationToken.None).IsCompletedSuccessfully);

        var third = pacer.WaitAsync("c", CancellationToken.None);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third;

        var fourth = pacer.WaitAsync("c", CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(400));
        await fourth;
    }
}
