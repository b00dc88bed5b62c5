using System.Globalization;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// How hard and how long the suite pushes. SHORT (default, CI: the whole project in about five minutes on two cores) or
/// LONG (<c>RELIABILITY_PROFILE=long</c>). Single figures can be overridden with the environment variables named in
/// README.md beside this project; every test prints the profile it ran with.
/// </summary>
public sealed record ReliabilityProfile
{
    public required string Name { get; init; }

    /// <summary>Seed of every random choice (kill points, batch mixes), printed so a run can be repeated.</summary>
    public required int Seed { get; init; }

    // Crash test
    public required int Kills { get; init; }

    /// <summary>A kill lands this long after the service answered /health/live, chosen at random in the range.</summary>
    public required TimeSpan KillAfterMin { get; init; }

    public required TimeSpan KillAfterMax { get; init; }

    public required int Senders { get; init; }

    /// <summary>Contract-sent events for new deals in each 50-event batch (Procurement Approval runs), half of them needing a click.</summary>
    public required int ProcurementDealsPerBatch { get; init; }

    /// <summary>Pause of each sender between two batches, at random in [min, max].</summary>
    public required TimeSpan SenderPauseMin { get; init; }

    public required TimeSpan SenderPauseMax { get; init; }

    /// <summary>Everything acknowledged must be routed and every run settled this long after the last restart.</summary>
    public TimeSpan RecoveryDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a missed deadline, keep watching this long to measure the real recovery time (0: stop at the deadline).</summary>
    public required TimeSpan RecoveryWatch { get; init; }

    // Storage faults
    /// <summary>Fault → clear cycles per storage scenario, on the same running process.</summary>
    public required int FaultCycles { get; init; }

    /// <summary>After the fault clears, the service must accept webhooks again within this (no restart): twice the Retry-After of 30 s the service answers.</summary>
    public TimeSpan FaultRecoveryDeadline { get; init; } = TimeSpan.FromSeconds(60);

    // Soak
    public required TimeSpan SoakDuration { get; init; }

    public required TimeSpan SoakSampleEvery { get; init; }

    /// <summary>Webhook batches per second (50 events each) during the soak, all senders together.</summary>
    public required double SoakBatchesPerSecond { get; init; }

    /// <summary>Largest slope (Theil–Sen: median of pairwise slopes) of the RSS samples of the second half, MB per minute.</summary>
    public required double RssSlopeLimitMbPerMinute { get; init; }

    /// <summary>Largest slope (Theil–Sen) of the store-size samples (all files of the data folder) of the second half, MB per minute.</summary>
    public required double StoreSlopeLimitMbPerMinute { get; init; }

    public bool IsLong => Name == "long";

    public static ReliabilityProfile Current { get; } = Load();

    public override string ToString() =>
        $"profile {Name} (seed {Seed}): crash {Kills} kills at {KillAfterMin.TotalSeconds:0.#}–{KillAfterMax.TotalSeconds:0.#} s of uptime, "
        + $"{Senders} senders ({ProcurementDealsPerBatch} deal per batch) pausing {SenderPauseMin.TotalMilliseconds:0}–{SenderPauseMax.TotalMilliseconds:0} ms, deadline {RecoveryDeadline.TotalSeconds:0} s "
        + $"(watch {RecoveryWatch.TotalMinutes:0.#} min); storage {FaultCycles} fault cycle(s), recovery deadline {FaultRecoveryDeadline.TotalSeconds:0} s; "
        + $"soak {SoakDuration.TotalMinutes:0.#} min at {SoakBatchesPerSecond:0.#} batches/s, sample every {SoakSampleEvery.TotalSeconds:0} s, "
        + $"limits RSS {RssSlopeLimitMbPerMinute:0.#} MB/min, store {StoreSlopeLimitMbPerMinute:0.#} MB/min";

    private static ReliabilityProfile Load()
    {
        var name = (Environment.GetEnvironmentVariable("RELIABILITY_PROFILE") ?? "short").Trim().ToLowerInvariant();
        var seed = Int("RELIABILITY_SEED") ?? Environment.TickCount & 0x7fffffff;
        var profile = name switch
        {
            "short" or "" => new ReliabilityProfile
            {
                Name = "short",
                Seed = seed,
                Kills = 5,
                KillAfterMin = TimeSpan.FromSeconds(1.5),
                KillAfterMax = TimeSpan.FromSeconds(6),
                Senders = 3,
                ProcurementDealsPerBatch = 1,
                SenderPauseMin = TimeSpan.FromMilliseconds(300),
                SenderPauseMax = TimeSpan.FromMilliseconds(800),
                RecoveryWatch = TimeSpan.Zero,
                FaultCycles = 1,
                SoakDuration = TimeSpan.FromSeconds(90),
                SoakSampleEvery = TimeSpan.FromSeconds(2),
                SoakBatchesPerSecond = 2,
                // 90 s is still inside .NET's warm-up on two loaded cores (JIT tiers, GC heap sizing, LiteDB's page cache):
                // current main measured -1 to +33 MB/min over the second half. SHORT only catches runaway growth; LONG judges.
                RssSlopeLimitMbPerMinute = 40,
                // The smallest retention window is a minute, so in 90 s the store grows with the load (about 17 MB/min
                // at 100 events/s measured): SHORT catches runaway growth only; LONG (with a 5-minute window) judges flatness.
                StoreSlopeLimitMbPerMinute = 40,
            },
            "long" => new ReliabilityProfile
            {
                Name = "long",
                Seed = seed,
                Kills = 25,
                KillAfterMin = TimeSpan.FromSeconds(1),
                KillAfterMax = TimeSpan.FromSeconds(20),
                Senders = 4,
                ProcurementDealsPerBatch = 1,
                SenderPauseMin = TimeSpan.FromMilliseconds(300),
                SenderPauseMax = TimeSpan.FromMilliseconds(800),
                RecoveryWatch = TimeSpan.FromMinutes(20),
                FaultCycles = 3,
                SoakDuration = TimeSpan.FromMinutes(30),
                SoakSampleEvery = TimeSpan.FromSeconds(10),
                SoakBatchesPerSecond = 2,
                RssSlopeLimitMbPerMinute = 2,
                StoreSlopeLimitMbPerMinute = 0.5,
            },
            _ => throw new InvalidOperationException($"RELIABILITY_PROFILE='{name}' is neither 'short' nor 'long'."),
        };

        return profile with
        {
            Kills = Int("RELIABILITY_KILLS") ?? profile.Kills,
            SoakDuration = Minutes("RELIABILITY_SOAK_MINUTES") ?? profile.SoakDuration,
            RecoveryWatch = Minutes("RELIABILITY_RECOVERY_WATCH_MINUTES") ?? profile.RecoveryWatch,
        };
    }

    private static int? Int(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static TimeSpan? Minutes(string variable) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromMinutes(value)
            : null;
}
