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
            Description = "The study file (study.json); without it, the demo study in data/demo/",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default: out/<study folder name>/maps)" };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder CepGeo did not create" };
        var options = MapOptionSet.Create();
        var command = new Command("render", "Draw the static maps (PNG/SVG) and report.html of a study")
        {
            study, output, force,
        };
        options.AddTo(command);
        command.SetAction(parsed => Run(context, parsed.GetValue(study), parsed.GetValue(output), parsed.GetValue(force), options.Read(parsed, context.Text)));
        return command;
    }

    private static int Run(CliContext context, string? studyPath, string? outDir, bool force, MapChoices choices)
    {
        studyPath ??= StudyFiles.DemoStudyPath();
        var study = StudyFiles.Read(studyPath);
        outDir ??= Path.Combine("out", new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(studyPath))!).Name, "maps");
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(study, studyPath));
        var result = Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, StepMemory.Release, loadSites: StudyFiles.LoadSites);
        var written = MapFiles.Write(result, folder.Create, "", choices.Format, choices.Text, choices.Lambert93, choices.Print, CliApp.Version, choices.Date, choices.ByArea);
        string target = folder.Commit();
        context.Console.WriteLine($"{written.Count} files in {target}:");
        foreach (var name in written) context.Console.WriteLine("  " + name);
        return 0;
    }
}

/// <summary>The map options render and analyze share.</summary>
internal sealed record MapChoices(string Format, MapText Text, bool Lambert93, bool Print, string Date, bool ByArea = false);

internal sealed class MapOptionSet
{
    private readonly Option<string> _format = new("--format")
    {
        Description = "Map files to write: png, svg or both",
        DefaultValueFactory = _ => "png",
    };

    private readonly Option<bool> _lambert = new("--lambert93") { Description = "Draw maps in Lambert-93 (EPSG:2154) rather than the study's equal-area CRS" };
    private readonly Option<bool> _print = new("--print") { Description = "Also write A4 300 dpi PNGs (*-a4.png, 3508×2480 px)" };
    private readonly Option<bool> _byArea = new("--by-area") { Description = "Colour misfit maps by area, not by population (the default where the study has weights)" };
    private readonly Option<string?> _date = new("--date") { Description = "Date printed on maps (default: today), e.g. 2026-05-01" };

    public static MapOptionSet Create()
    {
        var set = new MapOptionSet();
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
