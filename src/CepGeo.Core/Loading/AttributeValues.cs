using System.Globalization;

namespace CepGeo.Core.Loading;

/// <summary>
/// Attribute values in one shape whatever the format: double, string, bool or null. Readers hand
/// back decimal, long, JsonElement, DBNull, DateTime…; the analysis should never care which.
/// </summary>
internal static class AttributeValues
{
    /// <summary>The largest integer every double below it holds exactly: 2^53.</summary>
    public const long MaxExact = 1L << 53;

    /// <summary>No properties: one shared, read-only empty set.</summary>
    public static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    public static object? Normalise(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        bool b => b,
        double d => d,
        float f => (double)f,
        // Integers beyond 2^53 (20-digit ids in a DBF or GeoPackage) as their exact text: a double
        // would round 9007199254740993 to …992 and make two ids one.
        decimal m when decimal.Truncate(m) == m && Math.Abs(m) > MaxExact => m.ToString(CultureInfo.InvariantCulture),
        decimal m => (double)m,
        long l when Math.Abs((decimal)l) > MaxExact => l.ToString(CultureInfo.InvariantCulture),
        long l => (double)l,
        int i => (double)i,
        short s16 => (double)s16,
        byte u8 => (double)u8,
        sbyte s8 => (double)s8,
        ulong u64 when u64 > MaxExact => u64.ToString(CultureInfo.InvariantCulture),
        ulong u64 => (double)u64,
        uint u32 => (double)u32,
        ushort u16 => (double)u16,
        DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] => null,
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A normalised attribute value as an id: numbers in invariant form ("12", not "12.0").</summary>
    public static string? AsId(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => NumberAsId(d),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Integral numbers print without a decimal point, so 75056 in one file and "75056" in another
    /// name the same feature; other numbers round-trip.
    /// </summary>
    public static string NumberAsId(double d) =>
        Math.Floor(d) == d && Math.Abs(d) < 9.007199254740992e15
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
}
