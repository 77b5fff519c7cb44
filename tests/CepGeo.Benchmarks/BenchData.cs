using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Benchmarks;

/// <summary>
/// The inputs of the benchmarks, read from <c>../shared/data</c> beside the repository (or the folder
/// named by <c>CEPGEO_DATA</c>): the real PACA study, and compare.sh's case A (cantons × arrondissements,
/// whose boundaries do not match, so slivers appear), both in Lambert-93 as compare.sh runs them.
/// </summary>
public static class BenchData
{
    public const string Paca = "paca";
    public const string CaseA = "A";
    public const string France = "france";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DataDir { get; } = Environment.GetEnvironmentVariable("CEPGEO_DATA") is { Length: > 0 } d
        ? Path.GetFullPath(d)
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>The study of a dataset name (<see cref="Paca"/> or <see cref="CaseA"/>), CRS EPSG:2154.</summary>
    public static Study Study(string name)
    {
        if (name == Paca)
        {
            string path = Path.Combine(RepoRoot, "data", "paca", "study.json");
            using var stream = File.OpenRead(path);
            return StudyReader.Read(stream, "study.json", Path.GetDirectoryName(path)!) with { Crs = "EPSG:2154" };
        }
        if (name == CaseA)
        {
            string france = Path.Combine(DataDir, "france");
            return new Study("benchmark case A", "EPSG:2154",
                new LayerSpec("cells", "cells", Path.Combine(france, "cantons-2018.geojson"), "code", "nom"),
                [new LayerSpec("zones", "zones", Path.Combine(france, "arrondissements-2018-simplified.geojson"), "code", "nom")],
                null, Tolerances.Default);
        }
        throw new ArgumentException($"unknown dataset {name}", nameof(name));
    }

    /// <summary>The commune polygons of a dataset name (<see cref="Paca"/>: 947, <see cref="France"/>: 35,228).</summary>
    public static (string Path, LayerOptions Options) Communes(string name) => name switch
    {
        Paca => (Path.Combine(DataDir, "paca", "communes.geojson"), new LayerOptions("communes.geojson", "code", "nom")),
        France => (Path.Combine(DataDir, "france", "communes-2018.geojson"), new LayerOptions("communes-2018.geojson", "code", "nom")),
        _ => throw new ArgumentException($"unknown dataset {name}", nameof(name)),
    };

    public static Layer LoadLayer(LayerSpec spec) => LayerReader.Read(spec.Path, LayerOptions.For(spec));

    public static Layer LoadWeights(WeightsSpec spec) => LayerReader.Read(spec.Path, LayerOptions.For(spec));

    /// <summary>BenchmarkDotNet runs the benchmarks from a generated project under bin/: walk up to CepGeo.sln.</summary>
    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CepGeo.sln")))
                    return dir.FullName;
        throw new InvalidOperationException("CepGeo.sln not found above " + AppContext.BaseDirectory);
    }
}
