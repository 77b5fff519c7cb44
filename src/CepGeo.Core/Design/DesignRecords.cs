using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>
/// One proposed perimeter against one operator, before → after (a row of design.csv). "Before" is the
/// current cell the perimeter inherits from (<see cref="BeforeCell"/>: the cell it shares the most
/// population with, area without weights); "after" is measured on the proposal by the same
/// <c>Compare</c> as <c>analyze</c>. A current cell that no perimeter inherits from (snap: all its zones
/// went elsewhere) has a row with an empty perimeter and null "after" figures.
/// </summary>
public sealed record PerimeterChange(
    string PerimeterId, string PerimeterName, string? BeforeCell, string Operator,
    double? AreaBefore, double? AreaAfter, double? PopBefore, double? PopAfter,
    double AreaGained, double AreaLost, double? PopGained, double? PopLost,
    int? PartnersBefore, int? PartnersAfter, IReadOnlyList<string> NewPartners,
    double? MisfitBefore, double? MisfitAfter, double? PopMisfitBefore, double? PopMisfitAfter,
    bool? CoterminousBefore, bool? CoterminousAfter);

/// <summary>
/// A piece of one unit (a zone, a commune, a cell) going from a current cell to a proposed perimeter
/// (a row of moves.csv). <see cref="Moved"/> is false when the perimeter inherits from that same cell.
/// </summary>
/// <param name="FromCell">The current cell the piece lies in, or null outside the current territory.</param>
public sealed record DesignMove(
    string UnitLayer, string UnitId, string UnitName, string? FromCell, string ToPerimeter,
    double AreaKm2, double? Pop, bool Moved);

/// <summary>Totals against one operator, current cells → proposal: km² (and people) that must change side.</summary>
/// <param name="MisfitKm2Before">Σ misfit·A over the current cells.</param>
/// <param name="PopMisfitBefore">Σ pop_misfit·P over the current cells (null without weights).</param>
public sealed record DesignTotals(
    string Operator,
    double MisfitKm2Before, double MisfitKm2After,
    double? PopMisfitBefore, double? PopMisfitAfter,
    double AlignmentBefore, double AlignmentAfter,
    double? PopAlignmentBefore, double? PopAlignmentAfter,
    double PartnersMeanBefore, double PartnersMeanAfter,
    double CoterminousPctBefore, double CoterminousPctAfter);

/// <summary>A proposal and everything measured on it.</summary>
/// <param name="Kind"><c>nest</c>, <c>snap</c> or <c>balance</c>.</param>
/// <param name="Method">One sentence saying how the perimeters were built (written into the outputs).</param>
/// <param name="Operators">The operators the design was asked to fit (metrics cover every operator).</param>
/// <param name="After">The analysis re-run with the proposal as the cells (same mosaic, faces relabelled).</param>
/// <param name="Heirs">For each proposed perimeter (After's cells, in order), the current cell it inherits from.</param>
public sealed record DesignResult(
    string Kind,
    string Method,
    IReadOnlyList<string> Operators,
    AnalysisResult Before,
    AnalysisResult After,
    IReadOnlyList<string?> Heirs,
    IReadOnlyList<PerimeterChange> Changes,
    IReadOnlyList<DesignMove> Moves,
    IReadOnlyList<DesignTotals> Totals,
    NestReport? Nest = null)
{
    /// <summary>Population (or area without weights) of the pieces that change cell.</summary>
    public double MovedPop => Moves.Where(m => m.Moved).Sum(m => m.Pop ?? 0);

    public double MovedAreaKm2 => Moves.Where(m => m.Moved).Sum(m => m.AreaKm2);
}

/// <summary>What <c>design nest</c> found about the graph of significant overlaps.</summary>
/// <param name="Components">Perimeters in output order (largest population first).</param>
/// <param name="Glue">Every overlap edge inside the largest component, the most splitting first.</param>
/// <param name="DroppedZones">Zones that touch the territory only by slivers (left out of every perimeter).</param>
public sealed record NestReport(
    IReadOnlyList<NestComponent> Components,
    IReadOnlyList<GlueEdge> Glue,
    double LargestAreaShare,
    double? LargestPopShare,
    IReadOnlyList<string> DroppedZones);

/// <summary>One nest perimeter: which cells and zones it gathers.</summary>
public sealed record NestComponent(string Id, IReadOnlyList<string> Cells, IReadOnlyList<string> Zones, double AreaKm2, double? Pop);

/// <summary>
/// A significant overlap inside the giant component, and what removing it would do: how many parts the
/// component falls into and how much of it (cells' area and population) leaves the largest part.
/// </summary>
public sealed record GlueEdge(
    string LayerA, string IdA, string NameA, string LayerB, string IdB, string NameB,
    double AreaKm2, double? Pop, int PartsAfter, int DetachedCells, double DetachedAreaKm2, double? DetachedPop);
