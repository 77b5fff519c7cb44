using BenchmarkDotNet.Attributes;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Core.Validation;

namespace CepGeo.Benchmarks;

/// <summary>
/// The first steps on the commune polygons, the biggest layer of a study (the weights): read the
/// GeoJSON (stream parse + assembly), repair, project to Lambert-93. PACA (947 communes, 1.8 MB)
/// and metropolitan France (35,228 communes, 62 MB).
/// </summary>
[BenchmarkCategory("load")]
public class LoadBenchmarks
{
    private string _path = "";
    private LayerOptions _options = null!;
    private Layer _read = null!;
    private Layer _repaired = null!;
    private CrsRef _lambert93 = null!;

    [Params(BenchData.Paca, BenchData.France)]
    public string Communes { get; set; } = BenchData.Paca;

    [GlobalSetup]
    public void Setup()
    {
        (_path, _options) = BenchData.Communes(Communes);
        _read = LayerReader.Read(_path, _options);
        _repaired = LayerRepair.Repair(_read);
        _lambert93 = KnownCrs.Get(KnownCrs.Lambert93);
    }

    [Benchmark(Description = "load GeoJSON")]
    public Layer Load() => LayerReader.Read(_path, _options);

    [Benchmark(Description = "repair")]
    public Layer Repair() => LayerRepair.Repair(_read);

    [Benchmark(Description = "project to EPSG:2154")]
    public Layer Project() => Reprojector.Project(_repaired, _lambert93);
}
