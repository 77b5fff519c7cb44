namespace CepGeo.Core.Metrics;

/// <summary>Ids and names of one layer's features, in the order the mosaic indexes them.</summary>
/// <param name="Key"><c>cells</c> or an operator key.</param>
public sealed record LayerInfo(string Key, string Label, IReadOnlyList<string> Ids, IReadOnlyList<string> Names);

/// <summary>One non-empty intersection of a cell and a zone (a row of pairs.csv).</summary>
public sealed record PairMetric(
    string CellLayer, string CellId, string Operator, string ZoneId,
    double AreaKm2, double? Pop,
    double ShareOfCell, double ShareOfZone,
    double? PopShareOfCell, double? PopShareOfZone,
    bool Significant);

/// <summary>One cell against one operator (a row of cells.csv).</summary>
public sealed record CellMetric(
    string CellLayer, string CellId, string CellName, string Operator,
    double AreaKm2, double? Pop,
    double Coverage, double? PopCoverage,
    double GapKm2, double? PopGap,
    double DoubleKm2, double? PopDouble,
    int Partners, string? DominantZone, double DominantShare,
    int Nested, int Straddling,
    double Misfit, double? PopMisfit,
    bool Coterminous, bool Aligned);

/// <summary>One zone against the cells (a row of zones.csv).</summary>
public sealed record ZoneMetric(
    string Operator, string ZoneId, string ZoneName, string CellLayer,
    double AreaKm2, double? Pop,
    int Cells, string? MainCell, double MainShare, bool Nested, double OutsideKm2);

/// <summary>The per-operator summary of spec §4.</summary>
public sealed record OperatorSummary(
    string CellLayer, string Operator,
    int Zones, double ZonesNestedPct, double CellsCoterminousPct, double CellsAlignedPct,
    double PartnersMean, int PartnersMax,
    double GapKm2, double? PopGap, double DoubleKm2, double? PopDouble,
    double Alignment, double? PopAlignment);

/// <summary>The kinds of defect of spec §5; <see cref="DefectKinds.Name"/> gives the spec's name.</summary>
public enum DefectKind
{
    Gap,
    DoubleCoverage,
    Straddle,
    Outside,
}

public static class DefectKinds
{
    /// <summary>The spec's name, as in gaps.geojson, ids and the style: <c>gap</c>, <c>double_coverage</c>, <c>straddle</c>, <c>outside</c>.</summary>
    public static string Name(this DefectKind kind) => kind switch
    {
        DefectKind.Gap => "gap",
        DefectKind.DoubleCoverage => "double_coverage",
        DefectKind.Straddle => "straddle",
        DefectKind.Outside => "outside",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>A defect polygon of the gap report, as a connected set of mosaic faces.</summary>
public sealed record Defect(
    string Id, DefectKind Kind, string Operator, string CellLayer,
    string? CellId, string? CellName, IReadOnlyList<string> ZoneIds,
    IReadOnlyList<int> Faces, double AreaKm2, double? Pop, double? ShareOfCell, double WidthM);

/// <summary>Pieces set aside as boundary noise: counted in areas, never as defects.</summary>
public sealed record SliverStats(int GapParts, double GapKm2, int DoubleParts, double DoubleKm2, int StraddleParts, double StraddleKm2)
{
    public int Count => GapParts + DoubleParts + StraddleParts;

    public double AreaKm2 => GapKm2 + DoubleKm2 + StraddleKm2;

    public SliverStats Add(SliverStats o) => new(
        GapParts + o.GapParts, GapKm2 + o.GapKm2, DoubleParts + o.DoubleParts,
        DoubleKm2 + o.DoubleKm2, StraddleParts + o.StraddleParts, StraddleKm2 + o.StraddleKm2);

    public static SliverStats Empty { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>Everything computed for one layer in the role of cells against one operator layer.</summary>
public sealed record Comparison(
    string CellLayer, string Operator,
    IReadOnlyList<PairMetric> Pairs,
    IReadOnlyList<CellMetric> Cells,
    IReadOnlyList<ZoneMetric> Zones,
    OperatorSummary Summary,
    IReadOnlyList<Defect> Defects,
    SliverStats Slivers);
