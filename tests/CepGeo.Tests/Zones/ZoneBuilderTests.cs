using CepGeo.Core.Common;
using CepGeo.Core.Loading.Zones;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Tests.Zones;

/// <summary>Hand-made maps of unit squares: commune (i, j) is the square [i, i+1] × [j, j+1], area 1.</summary>
public class ZoneBuilderTests
{
    private static readonly WKTReader Reader = new();

    private static Feature Commune(string code, int i, int j, double population = 0) =>
        new(code, code, Reader.Read(FormattableString.Invariant($"POLYGON (({i} {j}, {i + 1} {j}, {i + 1} {j + 1}, {i} {j + 1}, {i} {j}))")),
            new Dictionary<string, object?> { ["pop"] = population });

    private static ZoneMember Row(string code, string zone, int line = 0) => new(code, zone, "Zone " + zone, line);

    private static ZoneBuild Build(Feature[] map, ZoneMember[] list, Crosswalk? crosswalk = null, string? weights = null) =>
        ZoneBuilder.Build(map, "map", list, crosswalk, weights);

    [Fact]
    public void AdjacentCommunes_DissolveIntoOnePolygon_WithCountsAndSummedWeights()
    {
        var map = new[] { Commune("01001", 0, 0, 100), Commune("01002", 1, 0, 50), Commune("01003", 0, 1, 7) };
        var b = Build(map, [Row("01001", "A"), Row("01002", "A"), Row("01003", "B")], weights: "pop");
        var a = b.Zones.Single(z => z.Code == "A");
        Assert.IsType<Polygon>(a.Geometry);
        Assert.Equal(2.0, a.Geometry.Area, 12);
        Assert.Equal(6.0, a.Geometry.Length, 12); // the shared edge is gone
        Assert.Equal(["01001", "01002"], a.CommuneCodes);
        Assert.Equal(150.0, a.Weight);
        Assert.Equal("Zone A", a.Name);
        Assert.True(b.AllMatched);
        Assert.Empty(b.Report);
    }

    [Fact]
    public void MergedCommune_ListInTheNewYear_BringsTheOldPolygonsThroughTheCrosswalk()
    {
        // 01002 merged into 01001 after the map's year: the list only knows 01001.
        var map = new[] { Commune("01001", 0, 0), Commune("01002", 1, 0) };
        var crosswalk = new Crosswalk("cw.csv", [("01001", "01001"), ("01002", "01001")]);
        var b = Build(map, [Row("01001", "A", 2)], crosswalk);
        Assert.Equal(2.0, b.Zones.Single().Geometry.Area, 12);
        var entry = Assert.Single(b.Of(MatchKinds.Crosswalk));
        Assert.Equal(("01001", "A", "01002"), (entry.Code, entry.ZoneCodes, entry.ResolvedTo));
        Assert.Empty(b.Of(MatchKinds.Unassigned));
        Assert.True(b.AllMatched);
    }

    [Fact]
    public void MergedCommune_WithoutCrosswalk_LeavesThePolygonInNoZone()
    {
        var map = new[] { Commune("01001", 0, 0), Commune("01002", 1, 0) };
        var b = Build(map, [Row("01001", "A")]);
        var entry = Assert.Single(b.Of(MatchKinds.Unassigned));
        Assert.Equal("01002", entry.Code);
        Assert.Contains("--crosswalk", entry.Detail, StringComparison.Ordinal);
        Assert.True(b.AllMatched); // every listed code found a polygon; the report still shows the orphan
    }

    [Fact]
    public void MergedCommune_ListInTheOldYear_ResolvesToTheNewPolygon()
    {
        // The map is of the new year: 01002 no longer exists, it is part of 01001.
        var map = new[] { Commune("01001", 0, 0) };
        var crosswalk = new Crosswalk("cw.csv", [("01001", "01001"), ("01002", "01001")]);
        var b = Build(map, [Row("01001", "A"), Row("01002", "A")], crosswalk);
        Assert.Equal(1.0, b.Zones.Single().Geometry.Area, 12);
        Assert.Equal("01001", b.Of(MatchKinds.Crosswalk).Single(e => e.Code == "01002").ResolvedTo);
        Assert.True(b.AllMatched);
    }

    [Fact]
    public void SplitCommune_ListInTheOldYear_TakesBothNewPolygons()
    {
        // 01003 of the list's year was split into 01003 and 01007 by the map's year.
        var map = new[] { Commune("01003", 0, 0), Commune("01007", 1, 0), Commune("01008", 2, 0) };
        var crosswalk = new Crosswalk("cw.csv", [("01003", "01003"), ("01003", "01007"), ("01008", "01008")]);
        var b = Build(map, [Row("01003", "A"), Row("01008", "B")], crosswalk);
        var a = b.Zones.Single(z => z.Code == "A");
        Assert.Equal(["01003", "01007"], a.CommuneCodes);
        Assert.Equal(2.0, a.Geometry.Area, 12);
        Assert.Equal("01007", b.Of(MatchKinds.Crosswalk).Single().ResolvedTo);
    }

    [Fact]
    public void SplitCommune_ListInTheNewYear_PartsInTwoZones_IsClaimedTwice()
    {
        // The map predates the split: both halves of the list lead to the one old polygon.
        var map = new[] { Commune("01003", 0, 0) };
        var crosswalk = new Crosswalk("cw.csv", [("01003", "01003"), ("01003", "01007")]);
        var b = Build(map, [Row("01007", "A"), Row("01003", "B")], crosswalk);
        // 01003 is listed directly by B; A reaches it only through the crosswalk and keeps nothing else.
        Assert.Equal(["B"], b.Zones.Select(z => z.Code));
        var overruled = Assert.Single(b.Of(MatchKinds.Overruled));
        Assert.Equal(("01003", "A"), (overruled.Code, overruled.ZoneCodes));
        Assert.Contains("empty_zone", b.Report.Select(e => e.Kind));
    }

    [Fact]
    public void UnknownCode_IsUnmatched_AndExplained()
    {
        var map = new[] { Commune("01001", 0, 0) };
        var b = Build(map, [Row("01001", "A", 2), Row("01099", "A", 3), Row("97101", "C", 4)]);
        Assert.False(b.AllMatched);
        Assert.Equal(2, b.Counts.Unmatched);
        var unknown = b.Of(MatchKinds.Unmatched).Single(e => e.Code == "01099");
        Assert.StartsWith("line 3:", unknown.Detail, StringComparison.Ordinal);
        Assert.Contains("département 971", b.Of(MatchKinds.Unmatched).Single(e => e.Code == "97101").Detail, StringComparison.Ordinal);
        Assert.Equal("C", b.Of(MatchKinds.EmptyZone).Single().Code);
        Assert.Equal(["A"], b.Zones.Select(z => z.Code));
    }

    [Fact]
    public void CodeThatLostItsLeadingZero_IsNotGuessed_ButExplained()
    {
        var map = new[] { Commune("01001", 0, 0) };
        var b = Build(map, [Row("1001", "A")]);
        Assert.Contains("01001", b.Of(MatchKinds.Unmatched).Single().Detail, StringComparison.Ordinal);
        Assert.Empty(b.Zones);
    }

    [Fact]
    public void CommuneInTwoLists_IsInBothZones_AndReported()
    {
        var map = new[] { Commune("01001", 0, 0), Commune("01002", 1, 0), Commune("01003", 2, 0) };
        var b = Build(map, [Row("01001", "A"), Row("01002", "A"), Row("01002", "B"), Row("01003", "B")]);
        var twice = Assert.Single(b.Of(MatchKinds.ClaimedTwice));
        Assert.Equal(("01002", "A B"), (twice.Code, twice.ZoneCodes));
        Assert.All(b.Zones, z => Assert.Equal(2.0, z.Geometry.Area, 12));
    }

    [Fact]
    public void Arrondissements_ResolveToTheirCommune_AndTheReverse()
    {
        var map = new[] { Commune("13055", 0, 0), Commune("69381", 1, 0), Commune("69382", 2, 0) };
        var b = Build(map, [Row("13201", "M"), Row("13216", "M"), Row("69123", "L")]);
        Assert.True(b.AllMatched);
        Assert.Equal(["13201", "13216", "69123"], b.Of(MatchKinds.Arrondissement).Select(e => e.Code));
        Assert.All(b.Of(MatchKinds.Arrondissement).Take(2), e => Assert.Equal("13055", e.ResolvedTo));
        Assert.Equal("69381 69382", b.Of(MatchKinds.Arrondissement).Last().ResolvedTo);
        Assert.Equal(2.0, b.Zones.Single(z => z.Code == "L").Geometry.Area, 12);
    }

    [Fact]
    public void Dissolve_FallsBackToOverlay_WhenTheCommunesOverlap()
    {
        var overlapping = new[] { Commune("a", 0, 0).Geometry, Reader.Read("POLYGON ((0.5 0, 1.5 0, 1.5 1, 0.5 1, 0.5 0))") };
        var union = FaceUnion.UnionOfFaces(overlapping);
        Assert.Equal(1.5, union.Area, 12);
        Assert.True(union.IsValid);
    }
}
