namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>Seeded, thread-safe random choices (kill points, batch mixes, pauses), so a failing run can be repeated with its seed.</summary>
public sealed class Chance(int seed)
{
    #pragma warning disable CA5394 // not security: a seeded generator is the point (RELIABILITY_SEED repeats a run)
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    public int Next(int maxExclusive)
    {
        lock (_gate)
        {
            return _random.Next(maxExclusive);
        }
    }
    #pragma warning restore CA5394

    public TimeSpan Between(TimeSpan min, TimeSpan max) => min + ((max - min) * NextDouble());

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
