using System.Text;
using CsCheck;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>
/// Runs a property over CsCheck generators deterministically: iteration i always draws from the same seed, so CI sees
/// the same inputs on every run. A failure names the CsCheck seed of the failing input and, where CsCheck can shrink it
/// from that seed, the smallest failing input found.
/// </summary>
internal static class Property
{
    public static void ForAll<T>(Gen<T> gen, Action<T> property, int iterations, ulong seed, Func<T, string>? print = null)
    {
        print ??= Print;
        for (var i = 0; i < iterations; i++)
        {
            var pcg = new PCG((uint)i, seed);
            var seedText = pcg.ToString();
            var input = gen.Generate(pcg, null, out _);
            try
            {
                property(input);
            }
            #pragma warning disable CA1031 // every exception is a failure of the property, reported with its seed
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                var shrunk = "(not shrunk)";
                try
                {
                    gen.Sample(property, seed: seedText, iter: 300, threads: 1, print: print);
                }
                #pragma warning disable CA1031
                catch (Exception s)
                #pragma warning restore CA1031
                {
                    shrunk = s.Message;
                }

                throw new Xunit.Sdk.XunitException($"Property failed at iteration {i} (base seed {seed}, CsCheck seed \"{seedText}\").\nInput: {print(input)}\n{ex}\nShrunk: {shrunk}");
            }
        }
    }

    public static string Print<T>(T input) => input switch
    {
        byte[] bytes => $"{bytes.Length} bytes: {Clip(Encoding.UTF8.GetString(bytes))}",
        string text => Clip(text),
        System.Runtime.CompilerServices.ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Print(tuple[i]))) + ")",
        _ => Clip(input?.ToString() ?? "null"),
    };

    private static string Clip(string text) => text.Length <= 1500 ? text : text[..1500] + $"… ({text.Length} chars)";
}
