using System.CommandLine;
using System.Diagnostics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Viewer;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo view [STUDY.json | RESULTS_DIR] [--design DIR] [--port N] [--open] [--tiles URL]</c>: the interactive map in a
/// local browser page, served on 127.0.0.1 until Ctrl+C.
/// </summary>
internal static class ViewCommand
{
    public const int DefaultPort = 8765;

    public static Command Create(CliContext context)
    {
        var input = new Argument<string?>("study-or-results")
        {
            Description = context.T("Un fichier d'étude (analysé maintenant) ou un dossier écrit par « cepgeo analyse » ; sans lui, l'étude de démonstration", "A study file (analysed now) or a folder written by 'cepgeo analyze'; without it, the demo study"),
            Arity = ArgumentArity.ZeroOrOne,
        };
        var port = new Option<int>("--port", "-p") { Description = context.T("Port sur 127.0.0.1 (0 : n'importe quel port libre)", "Port on 127.0.0.1 (0: any free port)"), DefaultValueFactory = _ => DefaultPort };
        var open = new Option<bool>("--open") { Description = context.T("Ouvrir la page dans le navigateur", "Open the page in the default browser") };
        var tiles = new Option<string?>("--tiles") { Description = context.T("Modèle d'URL d'un serveur de tuiles ({z}/{x}/{y}) pour un fond de carte ; aucun par défaut (fonctionne hors ligne)", "A tile server URL template ({z}/{x}/{y}) for a background map; none by default (works offline)") };
        var design = new Option<string?>("--design")
        {
            Description = context.T("Un dossier écrit par « cepgeo proposer emboiter|rattacher|equilibrer » (ou son design.geojson) : ses périmètres sont dessinés en couche supplémentaire à côté des territoires actuels", "A folder written by 'cepgeo design nest|snap|balance' (or its design.geojson): its perimeters are drawn as an extra layer next to the current cells"),
        };
        var command = new Command("view", context.T("Servir la carte interactive des superpositions sur cet ordinateur (http://127.0.0.1:PORT/)", "Serve the interactive overlap map on this computer (http://127.0.0.1:PORT/)"))
        {
            input, design, port, open, tiles,
        };
        var plan = PlanViewOption.Create(context);
        command.Options.Add(plan);
        command.SetAction((parsed, cancel) => RunAsync(context, parsed.GetValue(input), parsed.GetValue(design), parsed.GetValue(port),
            parsed.GetValue(open), parsed.GetValue(tiles), PlanViewOption.Read(parsed, plan)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? path, string? design, int port, bool open, string? tiles,
        PlanViewOption.Choice? planChoice = null)
    {
        if (port is < 0 or > 65535)
            throw new CepGeoInputException("--port", null, new Phrase($"{port} n'est pas un numéro de port (0 à 65535)", $"{port} is not a port number (0 to 65535)"));
        if (tiles is not null && !(tiles.Contains("{z}", StringComparison.Ordinal) && tiles.Contains("{x}", StringComparison.Ordinal) && tiles.Contains("{y}", StringComparison.Ordinal)))
            throw new CepGeoInputException("--tiles", null, new Phrase("le modèle d'URL des tuiles doit contenir {z}, {x} et {y}", "the tile URL template needs {z}, {x} and {y}"));

        PlanSession? planSession = null;
        ViewerData data;
        if (planChoice is not null)
            (data, planSession) = PlanViewOption.Load(context, path ?? StudyFiles.DemoStudyPath(), planChoice, design);
        else
            data = Load(context, path ?? StudyFiles.DemoStudyPath());
        if (design is not null) data = AddDesign(context, data, design);
        ViewerServer server;
        try
        {
            server = await ViewerServer.StartAsync(data, port, tiles, planSession, CliApp.Version).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CepGeoInputException("--port", null, new Phrase($"impossible d'écouter sur 127.0.0.1:{port} ({e.Message}) ; essayez un autre --port, ou 0",
                $"cannot listen on 127.0.0.1:{port} ({e.Message}); try another --port, or 0"));
        }
        await using (server.ConfigureAwait(false))
        {
            context.Output.WriteLine(context.T($"Visualiseur CepGeo : {server.Url}", $"CepGeo viewer: {server.Url}"));
            context.Output.WriteLine(context.T("Ctrl+C pour arrêter.", "Press Ctrl+C to stop."));
            if (open) OpenBrowser(context, server.Url);
            await server.WaitForShutdownAsync().ConfigureAwait(false);
        }
        context.Output.WriteLine(context.T("Visualiseur arrêté.", "Viewer stopped."));
        return 0;
    }

    /// <summary>A folder is an earlier analyze output; a file is a study, analysed now.</summary>
    internal static ViewerData Load(CliContext context, string path)
    {
        if (Directory.Exists(path))
        {
            string full = Path.GetFullPath(path);
            context.Output.WriteLine(context.T($"Lecture des résultats de {full}", $"Reading results in {full}"));
            return ViewerData.FromResults(name =>
            {
                string file = Path.Combine(full, name);
                InputLimit.CheckFile(file, file);
                return File.Exists(file) ? File.OpenRead(file) : null;
            }, Path.GetFileName(full));
        }
        var study = StudyFiles.Read(path);
        context.Output.WriteLine(context.T($"Analyse de {study.Name}…", $"Analysing {study.Name}…"));
        var result = context.Busy(AnalyzeCommand.StepName(context.Text, Analysis.StepLoad) + "…", status =>
            Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, step =>
            {
                status(AnalyzeCommand.StepName(context.Text, step) + "…");
                StepMemory.Release(step);
            }, loadSites: StudyFiles.LoadSites));
        return ViewerData.FromAnalysis(result, CliApp.Version);
    }

    /// <summary>A design output folder (or its design.geojson), read before the server starts.</summary>
    internal static ViewerData AddDesign(CliContext context, ViewerData data, string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, ViewerData.DesignFileName) : path;
        if (!File.Exists(file))
            throw new CepGeoInputException(path, null, Directory.Exists(path)
                ? new Phrase($"pas de {ViewerData.DesignFileName} dans ce dossier : donnez un dossier écrit par 'cepgeo design nest|snap|balance'",
                    $"no {ViewerData.DesignFileName} in this folder: give a folder written by 'cepgeo design nest|snap|balance'")
                : new Phrase("fichier ou dossier introuvable", "no such file or folder"));
        InputLimit.CheckFile(file, file);
        string folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? file;
        var withDesign = data.WithDesign(File.ReadAllBytes(file), folder);
        var d = withDesign.Study["design"]!;
        context.Output.WriteLine(context.T($"Proposition '{d["kind"]}' de {Path.GetFullPath(file)} : {d["perimeters"]} périmètres",
            $"Design '{d["kind"]}' from {Path.GetFullPath(file)}: {d["perimeters"]} perimeters"));
        string? designStudy = d["study"]?.GetValue<string>(), shownStudy = data.Study["name"]?.GetValue<string>();
        if (designStudy is not null && designStudy != shownStudy)
            context.Error.WriteLine(context.T($"Attention : cette proposition a été faite pour l'étude '{designStudy}', pas '{shownStudy}'.",
                $"Warning: this design was made for the study '{designStudy}', not '{shownStudy}'."));
        return withDesign;
    }

    private static void OpenBrowser(CliContext context, Uri url)
    {
        try
        {
            string opener = OperatingSystem.IsWindows() ? "explorer" : OperatingSystem.IsMacOS() ? "open" : "xdg-open";
            using var p = Process.Start(new ProcessStartInfo(opener, url.ToString()) { UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            context.Error.WriteLine(context.T($"Impossible d'ouvrir un navigateur ; ouvrez {url} vous-même.", $"Could not open a browser; open {url} yourself."));
        }
    }
}
