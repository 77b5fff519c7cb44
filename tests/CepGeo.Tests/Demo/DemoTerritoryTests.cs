using CepGeo.Core.Demo;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Xunit.Abstractions;

namespace CepGeo.Tests.Demo;

public sealed class DemoTerritoryTests(ITestOutputHelper output)
{
    private static readonly Lazy<DemoTerritory> Lazy = new(() => DemoTerritory.Generate());

    private static DemoTerritory Demo => Lazy.Value;

    private static Geometry UnionOf(IEnumerable<DemoZone> zones) =>
        OverlayNGRobust.Union(zones.Select(z => z.Geometry).ToList());

    private static Geometry Overlay(Geometry a, Geometry b, SpatialFunction op) => OverlayNGRobust.Overlay(a, b, op);

    /// <summary>Polygonal pieces of a result, in the demo's km plane: (area km², perimeter km).</summary>
    private static List<(double AreaKm2, double PerimeterKm)> PiecesKm(Geometry lonLat)
    {
        var km = DemoFrame.ToKm(lonLat);
        var pieces = new List<(double, double)>();
        for (int i = 0; i < km.NumGeometries; i++)
            if (km.GetGeometryN(i) is Polygon { IsEmpty: false } p) pieces.Add((p.Area, p.Length));
        return pieces;
    }

    private static bool IsSliver((double AreaKm2, double PerimeterKm) piece) =>
        Tolerances.Default.IsSliver(piece.AreaKm2, piece.PerimeterKm);

    [Fact]
    public void Layers_HaveTheIntendedFeatureCounts()
    {
        Assert.Equal(150, Demo.Communes.Count);
        Assert.Equal(4, Demo.Cells.Count);
        Assert.Equal(3, Demo.MissionsLocales.Count);
        Assert.Equal(6, Demo.Agences.Count);
        Assert.Equal(3, Demo.CapEmploi.Count);
    }

    [Fact]
    public void EveryGeometry_IsAValidPolygonOrMultiPolygon_InLonLatNear45N4_5E()
    {
        var all = Demo.Communes.Concat(Demo.Cells).Concat(Demo.MissionsLocales).Concat(Demo.Agences).Concat(Demo.CapEmploi);
        foreach (var zone in all)
        {
            Assert.True(zone.Geometry is Polygon or MultiPolygon, zone.Code);
            Assert.True(zone.Geometry.IsValid, zone.Code);
            var env = zone.Geometry.EnvelopeInternal;
            Assert.InRange(env.MinX, 3.9, 5.1);
            Assert.InRange(env.MaxX, 3.9, 5.1);
            Assert.InRange(env.MinY, 44.6, 45.4);
            Assert.InRange(env.MaxY, 44.6, 45.4);
        }
    }

    [Fact]
    public void Territory_IsAbout60By50Km()
    {
        var env = DemoFrame.ToKm(Demo.Outline).EnvelopeInternal;
        output.WriteLine($"territory {env.Width:F1} × {env.Height:F1} km, {DemoFrame.ToKm(Demo.Outline).Area:F1} km²");

        Assert.InRange(env.Width, 50, 70);
        Assert.InRange(env.Height, 40, 60);
        Assert.IsType<Polygon>(Demo.Outline);
    }

    [Fact]
    public void Communes_FormAnExactCoverage()
    {
        var geometries = Demo.Communes.Select(c => c.Geometry).ToArray();

        Assert.True(NetTopologySuite.Coverage.CoverageValidator.IsValid(geometries));
        double sum = geometries.Sum(g => g.Area);
        Assert.Equal(1, sum / Demo.Outline.Area, 1e-9);
    }

    [Fact]
    public void Communes_HaveFiveDigitCodes_UniqueNames_AndPlausiblePopulations()
    {
        Assert.All(Demo.Communes, c => Assert.Matches("^99[0-9]{3}$", c.Code));
        Assert.Equal(Demo.Communes.Count, Demo.Communes.Select(c => c.Code).Distinct().Count());
        Assert.Equal(Demo.Communes.Count, Demo.Communes.Select(c => c.Name).Distinct().Count());
        Assert.All(Demo.Communes, c => Assert.InRange(c.Population!.Value, 100, 60_000));

        var towns = Demo.Communes.Where(c => c.Population >= 10_000).ToList();
        int villages = Demo.Communes.Count(c => c.Population <= 2_000);
        output.WriteLine($"towns: {string.Join(", ", towns.Select(t => $"{t.Name} {t.Population}"))}; villages ≤ 2000: {villages}; total {Demo.Communes.Sum(c => c.Population)}");
        Assert.InRange(towns.Count, 3, 8);
        Assert.True(villages > Demo.Communes.Count * 2 / 3, $"{villages} villages");
    }

    [Theory]
    [InlineData("cells")]
    [InlineData("ml")]
    [InlineData("pe")]
    public void LayersMadeOfCommunes_CoverTheTerritoryExactly_WithoutOverlap(string layer)
    {
        var zones = Layer(layer);
        double territory = Demo.Outline.Area;

        Assert.Equal(1, UnionOf(zones).Area / territory, 1e-9);
        Assert.Equal(1, zones.Sum(z => z.Geometry.Area) / territory, 1e-9);
        Assert.All(zones, z => Assert.IsType<Polygon>(z.Geometry));
        Assert.Equal(zones.Count, zones.Select(z => z.Code).Distinct().Count());
    }

    [Theory]
    [InlineData("ml")]
    [InlineData("pe")]
    [InlineData("cap")]
    public void OperatorZones_StraddleCells(string layer)
    {
        // A zone straddles when more than 5 % of it lies in each of two cells.
        var straddling = Layer(layer)
            .Where(z => Demo.Cells.Count(c => Overlay(z.Geometry, c.Geometry, SpatialFunction.Intersection).Area > 0.05 * z.Geometry.Area) >= 2)
            .ToList();

        output.WriteLine($"{layer}: {straddling.Count} of {Layer(layer).Count} zones straddle two cells or more");
        Assert.NotEmpty(straddling);
    }

    [Fact]
    public void CapEmploi_HasARealGap_OfAFewKm2()
    {
        var gap = Overlay(Demo.Outline, UnionOf(Demo.CapEmploi), SpatialFunction.Difference);
        var pieces = PiecesKm(gap);
        var real = pieces.Where(p => !IsSliver(p)).ToList();

        output.WriteLine($"cap gap: {pieces.Count} pieces, {pieces.Sum(p => p.AreaKm2):F3} km²; non-sliver: {string.Join(", ", real.Select(p => $"{p.AreaKm2:F3} km² (width {2000 * p.AreaKm2 / p.PerimeterKm:F0} m)"))}");
        Assert.Contains(real, p => p.AreaKm2 is > 1 and < 10);
        Assert.True(pieces.Count(IsSliver) >= 10, "slivers along the boundaries");
    }

    [Fact]
    public void CapEmploi_HasARealDoubleCoverage_OfAFewKm2()
    {
        var zones = Demo.CapEmploi;
        var pieces = new List<(double AreaKm2, double PerimeterKm)>();
        for (int i = 0; i < zones.Count; i++)
            for (int j = i + 1; j < zones.Count; j++)
                pieces.AddRange(PiecesKm(Overlay(zones[i].Geometry, zones[j].Geometry, SpatialFunction.Intersection)));
        var real = pieces.Where(p => !IsSliver(p)).ToList();

        output.WriteLine($"cap double coverage: {pieces.Count} pieces, {pieces.Sum(p => p.AreaKm2):F3} km²; non-sliver: {string.Join(", ", real.Select(p => $"{p.AreaKm2:F3} km² (width {2000 * p.AreaKm2 / p.PerimeterKm:F0} m)"))}");
        Assert.Contains(real, p => p.AreaKm2 is > 1 and < 10);
        Assert.True(pieces.Count(IsSliver) >= 10, "slivers along the boundaries");
    }

    [Fact]
    public void SameSeed_SameTerritory_OtherSeed_OtherTerritory()
    {
        var again = DemoTerritory.Generate();
        var other = DemoTerritory.Generate(7);

        Assert.Equal(Demo.Communes.Select(c => c.Geometry.AsText()), again.Communes.Select(c => c.Geometry.AsText()));
        Assert.Equal(Demo.CapEmploi.Select(c => c.Geometry.AsText()), again.CapEmploi.Select(c => c.Geometry.AsText()));
        Assert.NotEqual(Demo.Communes[0].Geometry.AsText(), other.Communes[0].Geometry.AsText());
    }

    private static IReadOnlyList<DemoZone> Layer(string key) => key switch
    {
        "cells" => Demo.Cells,
        "ml" => Demo.MissionsLocales,
        "pe" => Demo.Agences,
        "cap" => Demo.CapEmploi,
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
