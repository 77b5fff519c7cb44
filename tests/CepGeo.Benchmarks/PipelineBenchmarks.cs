using BenchmarkDotNet.Attributes;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using NetTopologySuite.Geometries;

namespace CepGeo.Benchmarks;

/// <summary>
/// The steps after loading, on the PACA study (5 layers with weights) and compare.sh's case A
/// (cantons × arrondissements, 2 layers): the mosaic (node + faces + label: its sub-steps are not
/// public, <c>analyze --timings</c> splits them), the metrics of one cells-vs-operator comparison,
/// writing every output file (to <see cref="Stream.Null"/>: the formatting, not the disk), and the
/// whole <see cref="Analysis.Run"/>.
/// </summary>
[BenchmarkCategory("pipeline")]
public class PipelineBenchmarks
{
    private Study _study = null!;
    private AnalysisResult _result = null!;
    private List<IReadOnlyList<Geometry>> _geometries = null!;

    [Params(BenchData.Paca, BenchData.CaseA)]
    public string Study { get; set; } = BenchData.Paca;

    [GlobalSetup]
    public void Setup()
    {
        _study = BenchData.Study(Study);
        _result = Analysis.Run(_study, BenchData.LoadLayer, BenchData.LoadWeights);
        _geometries = _result.Layers.Select(l => (IReadOnlyList<Geometry>)l.Features.Select(f => f.Geometry).ToList()).ToList();
    }

    [Benchmark(Description = "Mosaic.Build")]
    public Mosaic MosaicBuild() => Mosaic.Build(_geometries);

    [Benchmark(Description = "Compare.Run cells vs first operator")]
    public Comparison CompareRun() =>
        Compare.Run(_result.Mosaic, 0, _result.Infos[0], 1, _result.Infos[1], _result.FacePop, _study.Tolerances);

    [Benchmark(Description = "write outputs")]
    public void Write() => AnalysisOutputs.WriteAll(_result, _ => Stream.Null, "bench");

    [Benchmark(Description = "Analysis.Run (load to metrics)")]
    public AnalysisResult Whole() => Analysis.Run(_study, BenchData.LoadLayer, BenchData.LoadWeights);
}
