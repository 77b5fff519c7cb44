using System.Text.RegularExpressions;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>The console speaks French by default and English on request (issue 25).</summary>
public class ConsoleLanguageTests
{
    /// <summary>Words of the English console as it was before issue 25 (step names, headers, sentences).</summary>
    private static readonly string[] OldEnglish =
    [
        "Outputs", "slivers", "set aside", "Equal-area", "operator", "cells aligned", "coterminous", "mean partners",
        "gap km", "double km", "alignment", "load", "project", "mosaic", "metrics", "write", "features", "declared",
        "bounding box", "total area", "repaired", "skipped", "edges not matching", "overlaps", "holes", "none",
        "no coverage defect", "coverage defects found", "can be analysed", "error", "not found", "weights", "cells",
    ];

    private static string[] EnglishWordsIn(string text) =>
        OldEnglish.Where(w => Regex.IsMatch(text, $@"(?<![\p{{L}}/._-]){Regex.Escape(w)}(?![\p{{L}}._-])", RegexOptions.IgnoreCase)).ToArray();

    [Fact]
    public void AnalyseValidateInspect_Demo_DefaultConsoleHasNoOldEnglishWord_LangEnSwitches()
    {
        using var dir = new TempDirectory();
        string study = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        // "analyse" is the French spelling of the command.
        var fr = CliRun.Of("analyse", study, "--out", dir.File("fr"), "--no-maps", "--timings");
        Assert.True(fr.ExitCode == 0, fr.Err);
        var validate = CliRun.Of("valider", study);
        Assert.True(validate.ExitCode == 0, validate.Err);
        var inspect = CliRun.Of("inspecter", Path.Combine(TestPaths.RepoRoot, "data", "demo", "cap_emploi.geojson"));
        Assert.True(inspect.ExitCode == 0, inspect.Err);
        foreach (var run in new[] { fr, validate, inspect })
            Assert.True(EnglishWordsIn(run.Out).Length == 0, string.Join(", ", EnglishWordsIn(run.Out)) + "\n" + run.Out);
        Assert.Contains("Fichiers écrits :", fr.Out, StringComparison.Ordinal);
        // 574 slivers on the demo: a French number with a French plural, and decimal commas in the table.
        Assert.Matches(@"\d+ micro-écarts de tracé mis à part \(\d+,\d+ km²\)", fr.Out);
        Assert.Contains("peut être analysée", validate.Out, StringComparison.Ordinal);

        var en = CliRun.Of("analyze", study, "--out", dir.File("en"), "--no-maps", "--lang", "en");
        Assert.True(en.ExitCode == 0, en.Err);
        Assert.Contains("Outputs:", en.Out, StringComparison.Ordinal);
        Assert.Matches(@"\d+ slivers set aside \(\d+\.\d+ km²\)", en.Out);
        Assert.DoesNotContain("Fichiers écrits", en.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void InputError_French_ByDefault_EnglishWithLang()
    {
        var fr = CliRun.Of("analyse", "absente.json");
        Assert.Equal(2, fr.ExitCode);
        Assert.Equal("erreur : absente.json : fichier d'étude introuvable", fr.Err.Trim());
        var en = CliRun.Of("analyze", "absente.json", "--lang", "en");
        Assert.Equal("error: absente.json: study file not found", en.Err.Trim());
    }

    [Fact]
    public void Choose_LangOptionBeatsVariable_VariableBeatsDefault_UnknownIsAnError()
    {
        Assert.Same(ConsoleText.Fr, ConsoleText.Choose(["analyze"], null, out _));
        Assert.Same(ConsoleText.En, ConsoleText.Choose(["analyze"], "en", out _));
        Assert.Same(ConsoleText.Fr, ConsoleText.Choose(["analyze", "--lang", "fr"], "en", out _));
        Assert.Same(ConsoleText.En, ConsoleText.Choose(["analyze", "--lang=en"], null, out _));
        Assert.Null(ConsoleText.Choose(["analyze"], "de", out string? problem));
        Assert.Contains("CEPGEO_LANG \"de\"", problem, StringComparison.Ordinal);
        Assert.Equal(2, CliRun.Of("analyze", "--lang", "de").ExitCode);
    }

    [Fact]
    public void NumbersAndPlurals_FrenchForm()
    {
        var fr = ConsoleText.Fr;
        Assert.Equal("587\u202F478", fr.Int(587478));
        Assert.Equal("0,837", fr.N(0.8372, "0.000"));
        Assert.Equal("0 périmètre", fr.Count(0, "périmètre", "perimeter"));
        Assert.Equal("1 périmètre", fr.Count(1, "périmètre", "perimeter"));
        Assert.Equal("2 périmètres", fr.Count(2, "périmètre", "perimeter"));
        var en = ConsoleText.En;
        Assert.Equal("587,478", en.Int(587478));
        Assert.Equal("0.837", en.N(0.8372, "0.000"));
        Assert.Equal("0 perimeters", en.Count(0, "périmètre", "perimeter"));
        Assert.Equal("1 perimeter", en.Count(1, "périmètre", "perimeter"));
    }
}
