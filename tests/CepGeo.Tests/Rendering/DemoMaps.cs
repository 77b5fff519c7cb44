using System.Globalization;
using CepGeo.Cli.Commands;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Cli;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// The demo study analysed in-process (for the geometry, one per test class: the scene caches its
/// defects unlocked) and through <c>cepgeo analyze</c> (for cells.csv, summary.json, maps/ and
/// report.html as a user gets them: written once per test run, read by every class, removed when the
/// test run ends; the same folder is <see cref="Viewer.DemoAnalyzeOutput"/>'s).
/// </summary>
public sealed class DemoMaps : IDisposable
{
    public const string Date = "2026-01-01";

    /// <summary><c>analyze data/demo/study.json --format both --date 2026-01-01</c>, once per test run.</summary>
    internal static (string Folder, CliRun Run) Shared => Analyzed.Value;

    private static readonly Lazy<(string Folder, CliRun Run)> Analyzed = new(() =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "cepgeo-render-tests-" + Guid.NewGuid().ToString("N"));
        TestRun.AtEnd(() => { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); });
        string study = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        return (folder, CliRun.Of("analyze", study, "--out", folder, "--format", "both", "--date", Date));
    });

    public DemoMaps()
    {
        (Folder, Run) = Analyzed.Value;
        string study = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        Result = Analysis.Run(StudyFiles.Read(study), StudyFiles.LoadLayer, StudyFiles.LoadWeights);
        Scene = MapScene.Build(Result);
        Fonts = MapFiles.LoadFonts();
        Options = new MapOptions(Fonts, MapText.Fr, "test", Date);
    }

    public string Folder { get; }

    internal CliRun Run { get; }

    public AnalysisResult Result { get; }

    public MapScene Scene { get; }

    public MapFonts Fonts { get; }

    public MapOptions Options { get; }

    public string Path_(params string[] parts) => Path.Combine([Folder, .. parts]);

    /// <summary>cells.csv as written, one dictionary per row (cells vs operators only).</summary>
    public List<Dictionary<string, string>> CellsCsv()
    {
        var lines = File.ReadAllLines(Path_("cells.csv"));
        var header = lines[0].Split(',');
        // Demo names hold no commas or quotes, so a plain split reads the table.
        return lines.Skip(1).Select(l => l.Split(',')).Select(f => header.Zip(f).ToDictionary(p => p.First, p => p.Second))
            .Where(row => row["cell_layer"] == "cells").ToList();
    }

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public void Dispose() => Fonts.Dispose();
}
