using System.Globalization;
using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Loading;

/// <summary>
/// The hostile files of tests/Fixtures/hostile (the corpus items tests/Fixtures/loading does not
/// already hold) and the ones too large to commit, generated here.
/// </summary>
public class HostileFixtureTests
{
    private static Layer Read(string name) =>
        LayerReader.Read(TestPaths.Fixture("hostile", name), new LayerOptions(name, null, null));

    [Fact]
    public void Read_EmptyMultiPolygon_SkippedAndCountedWithItsId()
    {
        var layer = Read("empty-multipolygon.geojson");
        Assert.Equal(["ok"], layer.Features.Select(f => f.Id));
        var skipped = layer.Report.Where(i => i.Kind == LoadIssueKind.Skipped).Select(i => (i.Layer, i.FeatureId, i.Reason)).ToList();
        Assert.Equal(
            [
                ("empty-multipolygon.geojson", "none", "empty MultiPolygon"),
                ("empty-multipolygon.geojson", "hollow-parts", "empty MultiPolygon"),
            ],
            skipped);
    }

    /// <summary>A regular n-gon of radius r around (5.1°, 43.1°), as one GeoJSON feature.</summary>
    internal static string RegularPolygonGeoJson(int n, double r, string id)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "{{id}}", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[""");
        for (int i = 0; i <= n; i++)
        {
            double t = 2 * Math.PI * (i % n) / n;
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"[{5.1 + r * Math.Cos(t):R},{43.1 + r * Math.Sin(t):R}]");
        }
        sb.Append("]]}}]}");
        return sb.ToString();
    }

    [Fact]
    public void Read_RingOf100000Vertices_KeptWhole_WithTheRegularPolygonArea()
    {
        using var dir = new TempDirectory();
        string path = dir.File("round.geojson");
        File.WriteAllText(path, RegularPolygonGeoJson(100_000, 0.05, "round"));

        var layer = LayerRepair.Repair(LayerReader.Read(path, new LayerOptions("round.geojson", null, null)));

        var polygon = Assert.IsType<Polygon>(Assert.Single(layer.Features).Geometry);
        Assert.Equal(100_001, polygon.ExteriorRing.NumPoints);
        Assert.Empty(layer.Report);
        // Area of a regular n-gon of circumradius r: n r² sin(2π/n) / 2.
        double expected = 100_000 * 0.05 * 0.05 * Math.Sin(2 * Math.PI / 100_000) / 2;
        Assert.Equal(expected, polygon.Area, 12);
    }
}
