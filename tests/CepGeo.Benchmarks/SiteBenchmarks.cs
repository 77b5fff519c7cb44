using BenchmarkDotNet.Attributes;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;

namespace CepGeo.Benchmarks;

/// <summary>
/// The nearest-site search of spec §9 on the national data: the 35,228 communes' centroids (EPSG:3035,
/// back to lon/lat) against the 959 France Travail 2019 sites: the index is built and every commune's
/// nearest site found (geodesic). <c>--filter '*Site*'</c>.
/// </summary>
[BenchmarkCategory("sites")]
public class SiteBenchmarks
{
    private double[] _lon = [], _lat = [], _siteLon = [], _siteLat = [];

    [GlobalSetup]
    public void Setup()
    {
        string france = Path.Combine(BenchData.DataDir, "france");
        var communes = LayerReader.Read(Path.Combine(france, "communes-2018.geojson"), new LayerOptions("communes", "code", null, KeepAttributes: false));
        var laea = KnownCrs.Get("EPSG:3035");
        var projected = Reprojector.Project(communes, laea);
        _lon = projected.Features.Select(f => f.Geometry.Centroid.X).ToArray();
        _lat = projected.Features.Select(f => f.Geometry.Centroid.Y).ToArray();
        Reprojector.Create(laea, CrsRef.Wgs84Default).Transform(_lon, _lat);
        var sites = LayerReader.Read(Path.Combine(france, "agences-pole-emploi-2019.geojson"), new LayerOptions("sites", "reference_pe", null, Points: true));
        _siteLon = sites.Features.Select(f => f.Geometry.Coordinate.X).ToArray();
        _siteLat = sites.Features.Select(f => f.Geometry.Coordinate.Y).ToArray();
    }

    [Benchmark(Description = "nearest site, 35,228 communes × 959 sites (one thread)")]
    public double Nearest()
    {
        var index = new NearestSite(_siteLon, _siteLat);
        double sum = 0;
        for (int u = 0; u < _lon.Length; u++) sum += index.Find(_lon[u], _lat[u]).DistanceKm;
        return sum;
    }
}
