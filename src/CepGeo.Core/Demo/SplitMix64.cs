namespace CepGeo.Core.Demo;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny PRNG whose sequence is fixed by its seed on every
/// platform and every .NET version, unlike <see cref="Random"/> whose algorithm is not a contract.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, count).</summary>
    public int Index(int count) => (int)(NextDouble() * count);

    /// <summary>A uniform point of the unit disc, by rejection (no trigonometry, so no libm differences).</summary>
    public (double X, double Y) InUnitDisc()
    {
        while (true)
        {
            double x = Range(-1, 1), y = Range(-1, 1);
            double r2 = x * x + y * y;
            if (r2 is > 0 and <= 1) return (x, y);
        }
    }
}
