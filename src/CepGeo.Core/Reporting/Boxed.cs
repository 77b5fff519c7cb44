namespace CepGeo.Core.Reporting;

/// <summary>
/// The values the tables repeat most (0 and 1, booleans, small counts) boxed once and shared, instead of a box
/// made for every cell of every row by each writer: case B's rows are boxed again by the CSV, the workbook, the
/// GeoPackage and the GeoJSON writers, and coverage 1, gaps 0, partners, nested and the flags are most of a
/// cell's values. A box is never changed, so sharing one is invisible to a reader of the value.
/// </summary>
internal static class Boxed
{
    private static readonly object Zero = 0.0, One = 1.0, True = true, False = false;
    private static readonly object[] Small = [.. Enumerable.Range(0, 64).Select(n => (object)n)];

    /// <summary>0.0 (not −0.0, whose text differs) and 1.0 shared; any other double boxed as usual.</summary>
    public static object Of(double v) => BitConverter.DoubleToInt64Bits(v) switch
    {
        0 => Zero,
        0x3FF0000000000000 => One,
        _ => v,
    };

    public static object? Of(double? v) => v is { } d ? Of(d) : null;

    public static object Of(bool b) => b ? True : False;

    public static object Of(int n) => (uint)n < (uint)Small.Length ? Small[n] : n;

    public static object? Of(int? n) => n is { } k ? Of(k) : null;

    public static object? Of(bool? b) => b is { } v ? Of(v) : null;
}
