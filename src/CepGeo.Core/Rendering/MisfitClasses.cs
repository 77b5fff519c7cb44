using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The five classes of the misfit choropleth. Bounds are fixed, not quantiles, so that the same colour
/// means the same misfit on every operator's map and in every study: a planner compares maps side by side.
/// </summary>
public static class MisfitClasses
{
    /// <summary>Class bounds: class i holds misfit in [Bounds[i], Bounds[i+1]), the last class includes 1.</summary>
    public static IReadOnlyList<double> Bounds { get; } = [0, 0.05, 0.15, 0.30, 0.50, 1];

    /// <summary>ColorBrewer YlOrRd, 5 classes: sequential and colour-blind safe (colorbrewer2.org).</summary>
    public static IReadOnlyList<SKColor> Colors { get; } =
    [
        new(0xff, 0xff, 0xb2), new(0xfe, 0xcc, 0x5c), new(0xfd, 0x8d, 0x3c), new(0xf0, 0x3b, 0x20), new(0xbd, 0x00, 0x26),
    ];

    public static int Count => Colors.Count;

    /// <summary>The class of a misfit value (values outside [0,1] fall in the end classes).</summary>
    public static int ClassOf(double misfit)
    {
        for (int i = 1; i < Bounds.Count - 1; i++)
            if (misfit < Bounds[i]) return i - 1;
        return Count - 1;
    }
}
