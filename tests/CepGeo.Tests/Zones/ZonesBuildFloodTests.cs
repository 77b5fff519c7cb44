using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Zones;

/// <summary>A commune list damaged by Excel (leading zeros lost): a short console, the whole report in the CSV, --pad-codes (issue 25).</summary>
public class ZonesBuildFloodTests
{
    private static string[] Build(TempDirectory dir, string list, string name, params string[] extra)
    {
        var run = CliRun.Of(["zones", "build", "--communes", TestPaths.Shared("paca", "communes.geojson"), "--code-field", "code",
            "--members", list, "--member-code", "commune_code", "--zone-code", "zone_code", "--out", dir.File(name), .. extra]);
        return [run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Out, run.Err];
    }

    [Fact]
    public void ExcelDamagedCodes_ConsoleShowsTheSummaryAndTenLines_CsvHoldsAll_PadCodesRestoresThem_Regression()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadAllLines(TestPaths.Shared("paca", "missions-locales-2025-communes.csv"));
        // What Excel does to 04001: 4001. Every code of départements 04, 05 and 06.
        int damaged = lines.Skip(1).Count(l => l.StartsWith('0'));
        Assert.Equal(523, damaged);
        string list = dir.File("ml-excel.csv");
        File.WriteAllLines(list, lines.Take(1).Concat(lines.Skip(1).Select(l => l.StartsWith('0') ? l[1..] : l)));

        var plain = Build(dir, TestPaths.Shared("paca", "missions-locales-2025-communes.csv"), "ok.geojson");
        var broken = Build(dir, list, "broken.geojson");
        Assert.Equal("3", broken[0]);
        var report = File.ReadAllLines(dir.File("broken.match.csv"));
        Assert.Equal(damaged, report.Count(l => l.StartsWith("unmatched_code,", StringComparison.Ordinal)));
        // Before: one console line per report line (over a thousand); now the summary, 10 lines and a pointer to the CSV.
        Assert.True(broken[1].Split('\n').Length < 60, broken[1]);
        Assert.Contains("codes sans polygone de commune", broken[1], StringComparison.Ordinal);
        Assert.Contains($"dans broken.match.csv (le rapport complet)", broken[1], StringComparison.Ordinal);

        var padded = Build(dir, list, "padded.geojson", "--pad-codes");
        Assert.Equal(plain[0], padded[0]);
        Assert.Contains("--pad-codes : 523 codes à 4 chiffres complétés d'un zéro initial", padded[1], StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(dir.File("ok.match.csv")), File.ReadAllText(dir.File("padded.match.csv")));
        Assert.Equal(File.ReadAllText(dir.File("ok.geojson")), File.ReadAllText(dir.File("padded.geojson")));
    }
}
