using System.Text.RegularExpressions;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// Every command's common paths (a success and the typical mistakes of a newcomer) print no English by
/// default, and English with <c>--lang en</c> (issue 25: "the console has no English word by default").
/// </summary>
public sealed class ConsoleSweepTests : IDisposable
{
    /// <summary>Words of the English console a French planner should never meet.</summary>
    private static readonly string[] EnglishWords =
        ["written", "error", "file", "not found", "folder", "invalid", "missing", "expected", "the", "is required", "cannot", "Outputs"];

    private readonly TempDirectory _dir = new();
    private readonly string _demo = Path.Combine(TestPaths.RepoRoot, "data", "demo");

    public void Dispose() => _dir.Dispose();

    internal static string[] EnglishIn(string text) =>
        EnglishWords.Where(w => Regex.IsMatch(text, $@"(?<![\p{{L}}/._-]){Regex.Escape(w)}(?![\p{{L}}._-])", RegexOptions.IgnoreCase)).ToArray();

    private string Demo(string name) => Path.Combine(_demo, name);

    /// <summary>The sweep: (what it is, the command line, the exit code it must end with).</summary>
    private IEnumerable<(string What, string[] Args, int Exit)> Cases()
    {
        string other = _dir.File("other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mes notes");
        string list = _dir.File("list.csv");
        File.WriteAllText(list, "commune_code,zone_code\n99001,Z1\n99002,Z1\n99003,Z2\n9999,Z2\n");
        string sites = _dir.File("sites.geojson");
        File.WriteAllText(sites, """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"S1"},"geometry":{"type":"Point","coordinates":[4.3,44.9]}},
            {"type":"Feature","properties":{"id":"S2"},"geometry":{"type":"Point","coordinates":[4.8,45.1]}}]}
            """);
        string broken = _dir.File("broken.json");
        File.WriteAllText(broken, "{\"name\":");
        string text = _dir.File("notes.txt");
        File.WriteAllText(text, "bonjour");
        string truncated = _dir.File("cut.geojson");
        File.WriteAllText(truncated, File.ReadAllText(Demo("cap_emploi.geojson"))[..500]);
        string typo = _dir.File("typo.json");
        File.WriteAllText(typo, File.ReadAllText(Demo("study.json")).Replace("\"weights\"", "\"weigths\"", StringComparison.Ordinal));
        string noLayer = _dir.File("nolayer.json");
        File.WriteAllText(noLayer, """{"name":"x","cells":{"path":"absent.geojson","id":"code"},"operators":[{"key":"ml","path":"absent2.geojson","id":"code"}]}""");
        string communes = Demo("communes.geojson");

        yield return ("demo generate", ["demo", "generate", "--out", _dir.File("gen")], 0);
        yield return ("demo generate into a file", ["demo", "generate", "--out", list], 2);
        yield return ("demo generate into someone's folder", ["demo", "generate", "--out", other], 2);
        yield return ("demo generate, seed not a number", ["demo", "generate", "--seed", "abc", "--out", _dir.File("g2")], 2);
        yield return ("zones build, a code lost its zero", ["zones", "build", "--communes", communes, "--members", list, "--out", _dir.File("z/ml.geojson")], 3);
        yield return ("zones build, nearest site", ["zones", "build", "--communes", communes, "--nearest-site", sites, "--site-id", "id", "--out", _dir.File("z/near.geojson")], 0);
        yield return ("zones build without a list", ["zones", "build", "--communes", communes, "--out", _dir.File("z/x.geojson")], 2);
        yield return ("zones build, communes file absent", ["zones", "build", "--communes", _dir.File("absent.geojson"), "--members", list, "--out", _dir.File("z/y.geojson")], 2);
        yield return ("zones build, wrong column", ["zones", "build", "--communes", communes, "--members", list, "--member-code", "insee", "--out", _dir.File("z/w.geojson")], 2);
        yield return ("zones build, --out missing", ["zones", "build", "--communes", communes, "--members", list], 2);
        yield return ("analyse the demo", ["analyse", Demo("study.json"), "--out", _dir.File("out"), "--no-maps"], 0);
        yield return ("analyse, broken JSON", ["analyse", broken], 2);
        yield return ("analyse, misspelled key", ["analyse", typo, "--out", _dir.File("out2")], 2);
        yield return ("analyse, layer files absent", ["analyse", noLayer], 2);
        yield return ("analyse, bad --tables", ["analyse", Demo("study.json"), "--tables", "xml"], 2);
        yield return ("valider the demo", ["valider", Demo("study.json")], 0);
        yield return ("valider, broken JSON", ["valider", broken], 2);
        yield return ("inspecter a layer", ["inspecter", Demo("cap_emploi.geojson")], 0);
        yield return ("inspecter a text file", ["inspecter", text], 2);
        yield return ("inspecter a missing file", ["inspecter", _dir.File("absent.geojson")], 2);
        yield return ("inspecter a cut GeoJSON", ["inspecter", truncated], 2);
        yield return ("inspecter, id property absent", ["inspecter", Demo("cap_emploi.geojson"), "--id", "insee"], 2);
        yield return ("design nest, unknown operator", ["design", "nest", Demo("study.json"), "--operators", "zz", "--out", _dir.File("d")], 2);
        yield return ("design snap, unknown operator", ["design", "snap", Demo("study.json"), "--to", "zz", "--out", _dir.File("d2")], 2);
        yield return ("init without --cells", ["init", "--operator", "ml=" + Demo("missions_locales.geojson")], 2);
        yield return ("init, cells absent", ["init", "--cells", _dir.File("absent.geojson"), "--operator", "ml=" + Demo("missions_locales.geojson"), "--out", _dir.File("s.json")], 2);
        yield return ("plan from-cells into a folder", ["plan", "from-cells", Demo("study.json"), "--out", other], 2);
        yield return ("render, study absent", ["render", _dir.File("absent.json")], 2);
        yield return ("unknown command", ["frobnicate"], 2);
    }

    [Fact]
    public void EveryCommand_DefaultLanguage_NoEnglishWord_LangEn_English()
    {
        var failures = new List<string>();
        foreach (var (what, args, exit) in Cases().ToList())
        {
            var fr = CliRun.Of(args);
            string frText = fr.Out + fr.Err;
            if (fr.ExitCode != exit) failures.Add($"{what}: exit {fr.ExitCode}, expected {exit}\n{frText}");
            if (EnglishIn(frText) is { Length: > 0 } words) failures.Add($"{what}: English by default ({string.Join(", ", words)})\n{frText}");
            if (exit == 2 && !fr.Err.StartsWith("erreur : ", StringComparison.Ordinal)) failures.Add($"{what}: no French error line\n{frText}");
        }
        // The same mistakes in English: the switch reaches every line (the demo/zones outputs exist now, so --force).
        foreach (var (what, args, exit) in Cases().ToList())
        {
            if (exit == 0) continue;
            var en = CliRun.Of([.. args, "--lang", "en"]);
            if (!en.Err.StartsWith("error: ", StringComparison.Ordinal) && exit == 2) failures.Add($"{what}: no English error line with --lang en\n{en.Err}");
            if (Regex.IsMatch(en.Out + en.Err, @"\b(fichier|dossier|introuvable|attendu|erreur)\b", RegexOptions.IgnoreCase))
                failures.Add($"{what}: French with --lang en\n{en.Out}{en.Err}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void DemoGenerate_And_NearestSite_SayWhatTheyWrote_InEachLanguage()
    {
        var fr = CliRun.Of("demo", "generate", "--out", _dir.File("fr"));
        Assert.Contains("Étude de démonstration synthétique (graine 3832019) écrite dans", fr.Out, StringComparison.Ordinal);
        Assert.Matches(@"communes\.geojson\s*│\s*150", fr.Out);
        var en = CliRun.Of("demo", "generate", "--out", _dir.File("en"), "--lang", "en");
        Assert.Contains("Synthetic demo study (seed 3832019) written to", en.Out, StringComparison.Ordinal);

        string sites = _dir.File("sites.geojson");
        File.WriteAllText(sites, """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"S1"},"geometry":{"type":"Point","coordinates":[4.3,44.9]}},
            {"type":"Feature","properties":{"id":"S2"},"geometry":{"type":"Point","coordinates":[4.8,45.1]}}]}
            """);
        var near = CliRun.Of("zones", "build", "--communes", Path.Combine(_demo, "communes.geojson"), "--nearest-site", sites, "--site-id", "id",
            "--out", _dir.File("near.geojson"));
        Assert.True(near.ExitCode == 0, near.Err);
        // 150 communes of the demo, 2 sites: the French plural of each count, and where the files went.
        Assert.Matches(@"^2 zones dérivées de 2 sites de sites\.geojson sur 150 communes de communes\.geojson : ", near.Out);
        Assert.Contains("Fichiers écrits :", near.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ZonesBuild_Report_FrenchKindsAndDetails()
    {
        string list = _dir.File("list.csv");
        File.WriteAllText(list, "commune_code,zone_code\n99001,Z1\n9999,Z2\n");
        var run = CliRun.Of("zones", "build", "--communes", Path.Combine(_demo, "communes.geojson"), "--members", list, "--out", _dir.File("z.geojson"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("code sans commune", run.Out, StringComparison.Ordinal);
        Assert.Contains("ligne 3 : absent de communes.geojson", run.Out, StringComparison.Ordinal);
        Assert.Contains("commune sans zone", run.Out, StringComparison.Ordinal);
        // The file keeps the machine words: a planner's filter on unmatched_code still works.
        string csv = File.ReadAllText(_dir.File("z.match.csv"));
        Assert.Contains("unmatched_code,9999,Z2,,\"line 3: not in communes.geojson", csv, StringComparison.Ordinal);
    }

    /// <summary>Every command and group, as a path of names.</summary>
    private static readonly string[][] Commands =
    [
        [], ["init"], ["analyze"], ["inspect"], ["validate"], ["design", "nest"], ["design", "snap"], ["design", "balance"],
        ["plan", "score"], ["plan", "from-cells"], ["render"], ["view"], ["zones", "build"], ["demo", "generate"],
    ];

    [Fact]
    public void Help_EachDefaultOnce_FrenchLabel_OneExamplePerCommand()
    {
        foreach (string lang in new[] { "fr", "en" })
            foreach (var path in Commands)
            {
                var run = CliRun.Of([.. path, "--help", "--lang", lang]);
                string name = string.Join(' ', path);
                Assert.True(run.ExitCode == 0, name + run.Err);
                var entries = Regex.Split(run.Out, @"\n(?=  \S)");
                foreach (var entry in entries)
                {
                    // System.CommandLine's label and the description both stating the default: said twice.
                    var label = Regex.Match(entry, @"\[(default: |défaut : )[^\]]*\]");
                    if (!label.Success) continue;
                    string rest = entry.Remove(label.Index, label.Length);
                    Assert.False(Regex.IsMatch(rest, @"(?i)\b(default|défaut)\b"), $"{name} ({lang}): the default said twice:\n{entry}");
                }
                if (lang == "fr") Assert.DoesNotContain("[default:", run.Out, StringComparison.Ordinal);
                if (path.Length > 0)
                    Assert.Single(Regex.Matches(run.Out, lang == "fr" ? "Exemple :" : "Example:"));
            }
        // A default the description did not state is shown once, in the help's language.
        Assert.Contains("[défaut : standard]", CliRun.Of("analyze", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("[default: standard]", CliRun.Of("analyze", "--help", "--lang", "en").Out, StringComparison.Ordinal);
        Assert.Contains("[défaut : cepgeo]", CliRun.Of("analyze", "--help").Out, StringComparison.Ordinal);
    }
}
