namespace CepGeo.Core.Model;

/// <summary>The tolerances of spec §4. Defaults are the spec's example values.</summary>
/// <param name="SliverWidthM">A piece narrower than this (width = 2·A/perimeter, metres) is a sliver.</param>
/// <param name="MinAreaKm2">A piece smaller than this (km²) is a sliver.</param>
/// <param name="MinShare">A pair is significant when its share of the cell or of the zone reaches this.</param>
/// <param name="NestShare">A zone is nested in a cell when that share of it lies in the cell.</param>
/// <param name="BeyondKm">Residents farther than this (km) from an operator's nearest site count in <c>pop_beyond</c> (spec §9).</param>
public sealed record Tolerances(
    double SliverWidthM = 50,
    double MinAreaKm2 = 0.01,
    double MinShare = 0.01,
    double NestShare = 0.95,
    double BeyondKm = 20)
{
    public static Tolerances Default { get; } = new();

    /// <summary>The names in study.json and in every output that repeats them (summary.json, the GeoJSON headers).</summary>
    public const string SliverWidthMKey = "sliverWidthM", MinAreaKm2Key = "minAreaKm2", MinShareKey = "minShare", NestShareKey = "nestShare",
        BeyondKmKey = "beyondKm";

    /// <summary>Every name, in the order they are written.</summary>
    public static IReadOnlyList<string> Keys { get; } = [SliverWidthMKey, MinAreaKm2Key, MinShareKey, NestShareKey, BeyondKmKey];

    /// <summary>The values under their names, in the order of <see cref="Keys"/>: the one place they are serialised from.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Named =>
    [
        new(SliverWidthMKey, SliverWidthM), new(MinAreaKm2Key, MinAreaKm2), new(MinShareKey, MinShare), new(NestShareKey, NestShare),
        new(BeyondKmKey, BeyondKm),
    ];

    /// <summary>True when a piece of this area (km²) and perimeter (km) is boundary noise.</summary>
    public bool IsSliver(double areaKm2, double perimeterKm)
    {
        if (areaKm2 < MinAreaKm2) return true;
        if (perimeterKm <= 0) return true;
        double widthM = 2 * areaKm2 / perimeterKm * 1000;
        return widthM < SliverWidthM;
    }
}
