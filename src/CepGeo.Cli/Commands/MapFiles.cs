using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using SkiaSharp;

namespace CepGeo.Cli.Commands;

/// <summary>The file side of maps and report.html, shared by render and analyze: fonts, names, sizes.</summary>
internal static class MapFiles
{
    /// <summary>Environment variable naming a .ttf/.otf/.woff to letter maps with instead of DejaVu Sans.</summary>
    public const string FontVariable = "CEPGEO_FONT";

    public static readonly string[] Formats = ["png", "svg", "both"];

    /// <summary>
    /// The font named by CEPGEO_FONT, else the DejaVu Sans that ships inside the program. SkiaSharp finds
    /// no system font by itself; shipping one means maps have words on any machine, and the same pixels.
    /// </summary>
    public static MapFonts LoadFonts()
    {
        string? custom = Environment.GetEnvironmentVariable(FontVariable);
        if (string.IsNullOrEmpty(custom))
        {
            var assembly = typeof(MapFiles).Assembly;
            using var r = assembly.GetManifestResourceStream("CepGeo.Fonts.DejaVuSans.ttf")
                ?? throw new InvalidOperationException("the embedded DejaVu Sans font is missing from the build");
            using var b = assembly.GetManifestResourceStream("CepGeo.Fonts.DejaVuSans-Bold.ttf");
            // Their Latin subsets letter the fiches' SVG (MapFonts.LatinFor, Fonts/make-latin.sh).
            using var lr = assembly.GetManifestResourceStream("CepGeo.Fonts.DejaVuSans-Latin.ttf");
            using var lb = assembly.GetManifestResourceStream("CepGeo.Fonts.DejaVuSans-Bold-Latin.ttf");
            return MapFonts.FromStreams(r, b, lr, lb);
        }
        if (!File.Exists(custom))
            throw new CepGeoInputException(custom, null, new Phrase(
                $"{FontVariable} nomme un fichier de police qui n'existe pas ; retirez-la pour employer la DejaVu Sans livrée avec CepGeo",
                $"{FontVariable} names a font file that does not exist; unset it to use the DejaVu Sans that ships with CepGeo"));
        try
        {
            using var r = File.OpenRead(custom);
            return MapFonts.FromStreams(r, null);
        }
        catch (InvalidDataException e)
        {
            throw new CepGeoInputException(custom, null, new Phrase($"police illisible ({FontVariable}) : {e.Message}", e.Message));
        }
    }

    /// <summary>Renders every map of the analysis, report.html and atlas.pdf; returns the names written.</summary>
    /// <param name="create">Opens an output by relative name.</param>
    /// <param name="mapsPrefix">Folder of the maps relative to report.html ("maps/" or "").</param>
    /// <param name="byArea">Colour misfit maps by area even where the study has population weights.</param>
    /// <param name="cancel">Checked before each image of each map (about a second each on a region), before each fiche map and
    /// before the report and the atlas: Ctrl+C acts within a second, not after all of them.</param>
    /// <param name="onMap">Told each map's name as it starts (progress).</param>
    public static List<string> Write(AnalysisResult result, Func<string, Stream> create, string mapsPrefix, string format,
        MapText text, bool lambert93, bool print, string version, string date, bool byArea = false, CancellationToken cancel = default,
        Action<string>? onMap = null, Action<string>? onStage = null)
    {
        using var fonts = LoadFonts();
        var content = ReportContent.Build(result);
        var options = new MapOptions(fonts, text, version, date, byArea, content.Names, Cancel: cancel);
        // The report prints its maps at A4 portrait width: lettering 1.6 times larger keeps legends at 7 pt or more.
        var printed = options with { TextScale = 1.6f };
        var scene = MapScene.Build(result, lambert93);
        var written = new List<string>();
        // The study's maps drawn side by side (each image of each map is independent; the scene is shared read-only),
        // then saved in plan order, one at a time (create need not be thread-safe).
        var plan = MapRenderer.Plan(result);
        var images = new (byte[]? Png, byte[] Report, byte[]? Svg, byte[]? Print)[plan.Count];
        var progress = new object();
        try
        {
            Parallel.For(0, plan.Count, new ParallelOptions { CancellationToken = cancel }, i =>
            {
                var spec = plan[i];
                lock (progress) onMap?.Invoke(spec.Name);
                byte[]? png = null, svg = null, a4 = null;
                // Each writer checks the token (options.Cancel) before every geometry and before encoding.
                byte[] report;
                if (format is "png" or "both")
                {
                    // maps/NAME.png and report.html's copy differ only in their lettering: the map's ground is drawn once for both.
                    using var screen = new MemoryStream();
                    using var inReport = new MemoryStream();
                    MapRenderer.WriteRasters(scene, spec, [new(screen, options), new(inReport, printed)]);
                    (png, report) = (screen.ToArray(), inReport.ToArray());
                }
                else report = Encode(s => MapRenderer.WritePng(s, scene, spec, printed));
                if (format is "svg" or "both") svg = Encode(s => MapRenderer.WriteSvg(s, scene, spec, options));
                if (print) a4 = Encode(s => MapRenderer.WritePng(s, scene, spec, options, MapLayout.PrintWidth, MapLayout.PrintHeight));
                images[i] = (png, report, svg, a4);
            });
        }
        finally
        {
            // The layers' paths at the study maps' scales (built once, shared by all of them) are not needed by the fiches;
            // native memory, freed also when a map failed or Ctrl+C stopped them.
            scene.ReleasePaths();
        }
        var embedded = new List<ReportMap>();
        for (int i = 0; i < plan.Count; i++)
        {
            var spec = plan[i];
            var (png, report, svg, a4) = images[i];
            embedded.Add(new ReportMap(spec, MapRenderer.Title(scene, spec, text, byArea, content.Names), report, StudyMapMime));
            if (png is not null) written.Add(Save(create, mapsPrefix + spec.Name + ".png", png));
            if (svg is not null) written.Add(Save(create, mapsPrefix + spec.Name + ".svg", svg));
            if (a4 is not null) written.Add(Save(create, mapsPrefix + spec.Name + "-a4.png", a4));
        }
        // One zoomed map per fiche territoire, drawn while the atlas is written (its pages recorded side by side while one
        // thread writes the PDF): a fiche's paths are built once at print resolution, written as report.html's inline SVG (the
        // browser draws it), drawn on the atlas's page of the same cell, then freed; report.html follows with every fiche.
        var fiches = new ReportMap[result.Infos[0].Ids.Count];
        onMap?.Invoke("fiches");
        onStage?.Invoke(StageFiches);
        cancel.ThrowIfCancellationRequested();
        var ficheOptions = printed with { TextScale = FicheTextScale };
        TerritoryPaths FicheOf(int i)
        {
            var spec = new MapSpec($"fiche-{result.Infos[0].Ids[i]}", MapKind.Territory, Cell: i);
            var paths = TerritoryPaths.ForFiche(scene, i, cancel);
            fiches[i] = new ReportMap(spec, MapRenderer.Title(scene, spec, text, byArea, content.Names),
                Encoding.UTF8.GetBytes(FicheSvg.Write(scene, spec, ficheOptions, paths)), FicheSvg.Mime);
            return paths;
        }
        using (var s = create("atlas.pdf"))
            AtlasPdf.Write(s, scene, content, options, result.Study.Name, cancel: cancel, fichePaths: FicheOf);
        written.Add("atlas.pdf");
        cancel.ThrowIfCancellationRequested();
        onMap?.Invoke("report.html");
        onStage?.Invoke(StageReport);
        using (var s = create("report.html"))
        using (var w = new StreamWriter(s, new UTF8Encoding(false)))
            HtmlReport.Write(w, result, text, version, date, embedded, content, fiches);
        written.Add("report.html");
        return written;
    }

    /// <summary>Steps of <see cref="Write"/> after the study's maps, for --timings.</summary>
    public const string StageFiches = "maps.fiches", StageReport = "maps.report";

    /// <summary>Lettering of a fiche's map in report.html (inline SVG on the 1600-unit sheet): printed smaller than the page width
    /// (the map takes the height its fiche leaves), so larger than the other report maps.</summary>
    public const float FicheTextScale = 2f;

    /// <summary>The study's maps in report.html are PNG (lossless, the pixels drawn): lossy WebP took three times their drawing's
    /// share of processor to encode (issue 28; sizes and times in docs/decisions.md, "The study maps drawn once").</summary>
    public const string StudyMapMime = "image/png";

    private static byte[] Encode(Action<Stream> write)
    {
        using var s = new MemoryStream();
        write(s);
        return s.ToArray();
    }

    private static string Save(Func<string, Stream> create, string name, byte[] bytes)
    {
        using var s = create(name);
        s.Write(bytes);
        return name;
    }
}
