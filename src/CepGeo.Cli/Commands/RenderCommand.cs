using System.CommandLine;
using System.Globalization;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo render STUDY.json [--out DIR] [--format png|svg|both] [--lang fr|en]</c>: maps and report.html.</summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var study = new Argument<string?>("study")
        {
            Description = context.T("Le fichier d'étude (study.json) ; sans lui, l'étude de démonstration de data/demo/",
                "The study file (study.json); without it, the demo study in data/demo/"),
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--out", "-o") { Description = context.T("Dossier de sortie (défaut : out/<dossier de l'étude>/maps)", "Output folder (default: out/<study folder name>/maps)") };
        var force = new Option<bool>("--force") { Description = context.T("Écrire dans un dossier non vide que CepGeo n'a pas créé", "Write into a non-empty folder CepGeo did not create") };
        var options = MapOptionSet.Create(context.Text);
        var command = new Command("render", context.T("Dessiner les cartes (PNG/SVG) et le rapport report.html d'une étude", "Draw the static maps (PNG/SVG) and report.html of a study"))
        {
            study, output, force,
        };
        options.AddTo(command);
        command.SetAction(parsed => CtrlC.Run(context, CancellationToken.None,
            cancel => Run(context, parsed.GetValue(study), parsed.GetValue(output), parsed.GetValue(force), options.Read(parsed, context.Text), cancel)));
        return command;
    }

    private static int Run(CliContext context, string? studyPath, string? outDir, bool force, MapChoices choices, CancellationToken cancel)
    {
        studyPath ??= StudyFiles.DemoStudyPath();
        var study = StudyFiles.Read(studyPath);
        outDir ??= Path.Combine("out", new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(studyPath))!).Name, "maps");
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(study, studyPath));
        var text = context.Text;
        var written = context.Busy(AnalyzeCommand.StepName(text, Analysis.StepLoad) + "…", status =>
        {
            var result = Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, step =>
            {
                status(AnalyzeCommand.StepName(text, step) + "…");
                StepMemory.Release(step);
            }, cancel, loadSites: StudyFiles.LoadSites);
            return MapFiles.Write(result, folder.Create, "", choices.Format, choices.Text, choices.Lambert93, choices.Print, CliApp.Version, choices.Date,
                choices.ByArea, cancel, name => status(text.T($"cartes et rapport : {name}…", $"maps: {name}…")));
        });
        cancel.ThrowIfCancellationRequested();
        string target = folder.Commit();
        context.Console.WriteLine(context.T($"{context.Text.Count(written.Count, "fichier", "file")} dans {target} :", $"{context.Text.Count(written.Count, "fichier", "file")} in {target}:"));
        foreach (var name in written) context.Console.WriteLine("  " + name);
        return 0;
    }
}

/// <summary>The map options render and analyze share.</summary>
internal sealed record MapChoices(string Format, MapText Text, bool Lambert93, bool Print, string Date, bool ByArea = false);

internal sealed class MapOptionSet
{
    private readonly Option<string> _format = new("--format") { DefaultValueFactory = _ => "png" };
    private readonly Option<bool> _lambert = new("--lambert93");
    private readonly Option<bool> _print = new("--print");
    private readonly Option<string?> _date = new("--date");

    private readonly Option<bool> _byArea = new("--by-area");

    public static MapOptionSet Create(ConsoleText text)
    {
        var set = new MapOptionSet();
        set._format.Description = text.T("Cartes à écrire : png, svg ou both (les deux)", "Map files to write: png, svg or both");
        set._lambert.Description = text.T("Dessiner en Lambert-93 (EPSG:2154) plutôt que dans le SCR équivalent de l'étude",
            "Draw maps in Lambert-93 (EPSG:2154) rather than the study's equal-area CRS");
        set._print.Description = text.T("Écrire aussi des PNG A4 300 dpi (*-a4.png, 3508×2480 px)", "Also write A4 300 dpi PNGs (*-a4.png, 3508×2480 px)");
        set._date.Description = text.T("Date imprimée sur les cartes (défaut : aujourd'hui), ex. 2026-05-01", "Date printed on maps (default: today), e.g. 2026-05-01");
        set._byArea.Description = text.T("Colorer les cartes de désalignement par la surface, pas par la population (le défaut quand l'étude a une population)",
            "Colour misfit maps by area, not by population (the default where the study has weights)");
        set._format.AcceptOnlyFromAmong(MapFiles.Formats);
        return set;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_format);
        command.Options.Add(_lambert);
        command.Options.Add(_print);
        command.Options.Add(_date);
        command.Options.Add(_byArea);
    }

    /// <summary>The maps speak the console's language (<c>--lang</c>, <c>CEPGEO_LANG</c>).</summary>
    public MapChoices Read(ParseResult parsed, ConsoleText text) => new(
        parsed.GetValue(_format) ?? "png",
        text.Map,
        parsed.GetValue(_lambert),
        parsed.GetValue(_print),
        parsed.GetValue(_date) ?? DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        parsed.GetValue(_byArea));
}
