using System.Globalization;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The misfit choropleth's classes as Skia draws them: <see cref="PlannerStyle.Misfit"/> and
/// <see cref="PlannerStyle.Palette"/>, nothing of its own.
/// </summary>
public static class MisfitClasses
{
    /// <summary>Class bounds with both ends: class i holds misfit in [Bounds[i], Bounds[i+1]), the last includes 1.</summary>
    public static IReadOnlyList<double> Bounds { get; } =
        [PlannerStyle.Misfit.Min, .. PlannerStyle.Misfit.Breaks, PlannerStyle.Misfit.Max!.Value];

    public static IReadOnlyList<SKColor> Colors { get; } = PlannerStyle.Palette.Select(Sk).ToArray();

    public static int Count => PlannerStyle.Misfit.Count;

    /// <summary>The class of a misfit value (values outside [0,1] fall in the end classes).</summary>
    public static int ClassOf(double misfit) => Math.Max(0, PlannerStyle.Misfit.ClassOf(misfit));

    /// <summary>A <c>#rrggbb</c> colour of the style as Skia's.</summary>
    public static SKColor Sk(string hex) =>
        new(byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber), byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber),
            byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber));
}
