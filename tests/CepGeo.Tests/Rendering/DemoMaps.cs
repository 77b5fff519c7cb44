using System.Globalization;
using CepGeo.Cli.Commands;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Cli;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// The demo study analysed once, both in-process (for the geometry) and through <c>cepgeo analyze</c>
/// (for cells.csv, summary.json, maps/ and report.html as a user gets them).
/// </summary>
public sealed class DemoMaps : IDisposable
{
    public const string Date = "2026-01-01";

    public DemoMaps()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cepgeo-render-tests-" + Guid.NewGuid().ToString("N"));
        string study = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        Run = CliRun.Of("analyze", study, "--out", Folder, "--format", "both", "--date", Date);
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

    public void Dispose()
    {
        Fonts.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
