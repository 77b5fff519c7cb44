using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>Shapes and CRSs that cannot give true areas are refused with a line naming the file or setting, not measured as 0 km².</summary>
public sealed class UnmeasurableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Study(string cellRing, string zonesCrs = "")
    {
        string study = OutputFolderTests.TinyStudy(_dir.File("s"));
        File.WriteAllText(_dir.File(Path.Combine("s", "cells.geojson")), $$$"""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "c1", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [{{{cellRing}}}]}}
            ]}
            """);
        if (zonesCrs.Length > 0)
        {
            string zones = _dir.File(Path.Combine("s", "zones.geojson"));
            File.WriteAllText(zones, File.ReadAllText(zones).Replace("\"FeatureCollection\",",
                $$$"""
                "FeatureCollection", "crs": {"type": "name", "properties": {"name": "{{{zonesCrs}}}"}},
                """, StringComparison.Ordinal));
        }
        return study;
    }

    private const string Box = "[[5.0,43.0],[5.2,43.0],[5.2,43.2],[5.0,43.2],[5.0,43.0]]";

    private static void AssertRefused(CliRun run, params string[] parts)
    {
        Assert.Equal(2, run.ExitCode);
        foreach (string part in parts) Assert.Contains(part, run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.Trim().Split('\n'));
    }

    [Fact]
    public void WholeWorldCell_IsRefusedNamingTheFileAndTheFeature()
    {
        string study = Study("[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]");
        AssertRefused(CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps"), "cells.geojson", "c1", "hémisphère ou un pôle");
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void PolarCapCell_IsRefused()
    {
        string study = Study("[[-180,80],[-90,80],[0,80],[90,80],[180,80],[180,90],[-180,90],[-180,80]]");
        AssertRefused(CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps"), "cells.geojson", "hémisphère ou un pôle");
    }

    [Fact]
    public void CrsCentredAtTheStudysAntipode_IsRefusedNamingTheSetting()
    {
        string study = Study(Box);
        var run = CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps", "--crs", "LAEA:-175.5,-45");
        AssertRefused(run, "crs", "LAEA:-175.5,-45", "LAEA:5.1,43.1");
        // A centre near the study is accepted.
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps", "--crs", "LAEA:5,43").ExitCode);
    }

    [Fact]
    public void UnknownEpsgOnOneLayer_IsAnErrorNamingThatFile()
    {
        string study = Study(Box, zonesCrs: "urn:ogc:def:crs:EPSG::99999");
        AssertRefused(CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps"), "zones.geojson", "EPSG:99999");
    }
}
