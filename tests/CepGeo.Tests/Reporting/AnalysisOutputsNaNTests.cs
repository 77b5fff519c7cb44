using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;

namespace CepGeo.Tests.Reporting;

/// <summary>Ratios of empty areas are NaN; no output file may carry one (RFC 8259 has no NaN, GeoJSON readers refuse it).</summary>
public sealed class AnalysisOutputsNaNTests
{
    private static AnalysisResult Demo()
    {
        string studyPath = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        using var json = File.OpenRead(studyPath);
        var study = StudyReader.Read(json, "study.json", Path.GetDirectoryName(studyPath)!);
        return Analysis.Run(study, s => LayerReader.Read(s.Path, LayerOptions.For(s)), w => LayerReader.Read(w.Path, LayerOptions.For(w)));
    }

    /// <summary>The demo's results with every ratio and some areas poisoned: NaN, +∞ and −∞ in turn.</summary>
    private static AnalysisResult Poisoned(AnalysisResult r)
    {
        double[] bad = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        int i = 0;
        double Next() => bad[i++ % bad.Length];
        var comparisons = r.Comparisons.Select(c => c with
        {
            Cells = c.Cells.Select(m => m with
            {
                Coverage = Next(), PopCoverage = Next(), Misfit = Next(), PopMisfit = Next(), DominantShare = Next(), GapKm2 = Next(),
            }).ToList(),
            Pairs = c.Pairs.Select(p => p with { ShareOfCell = Next(), ShareOfZone = Next(), PopShareOfCell = Next() }).ToList(),
            Zones = c.Zones.Select(z => z with { MainShare = Next(), OutsideKm2 = Next() }).ToList(),
            Defects = c.Defects.Select(d => d with { ShareOfCell = Next(), WidthM = Next(), Pop = Next() }).ToList(),
            Summary = c.Summary with { Alignment = Next(), PopAlignment = Next(), PartnersMean = Next(), CellsAlignedPct = Next() },
        }).ToList();
        return r with { Comparisons = comparisons };
    }

    [Fact]
    public void NonFiniteMetrics_AreWrittenAsNullOrEmpty_NeverAsNaNOrInfinity_RegressionSummaryJsonThrewOnNaN()
    {
        var result = Poisoned(Demo());
        var files = new Dictionary<string, MemoryStream>();

        AnalysisOutputs.WriteAll(result, name => files[name] = new MemoryStream(), "test");

        Assert.Equal(AnalysisOutputs.FileNames().Order(), files.Keys.Order());
        foreach (var (name, stream) in files)
        {
            string text = Encoding.UTF8.GetString(stream.ToArray());
            // As a value, not inside a name (the demo has villages whose names hold "nan").
            Assert.DoesNotMatch(@"[:,\[]\s*-?(NaN|Infinity)\b|(^|,)-?(NaN|Infinity)(,|$)", text.Replace("\r", ""));
            Assert.DoesNotContain("∞", text, StringComparison.Ordinal);
            if (name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".geojson", StringComparison.Ordinal))
                using (JsonDocument.Parse(text)) { } // strict JSON: throws on a bare NaN
        }

        // The poisoned values are there as null (GeoJSON) or empty (CSV), not dropped.
        using var cells = JsonDocument.Parse(files["cells.geojson"].ToArray());
        var first = cells.RootElement.GetProperty("features")[0].GetProperty("properties");
        string op = result.Comparisons[0].Operator;
        Assert.Equal(JsonValueKind.Null, first.GetProperty(op + "_coverage").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty(op + "_misfit").ValueKind);
        using var summary = JsonDocument.Parse(files["summary.json"].ToArray());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("operators").GetProperty(op).GetProperty("alignment").ValueKind);
        string cellsCsv = Encoding.UTF8.GetString(files["cells.csv"].ToArray());
        var header = cellsCsv.Split('\n')[0].Split(',');
        var row = cellsCsv.Split('\n')[1].Split(',');
        Assert.Equal("", row[Array.IndexOf(header, "coverage")]);
    }
}
