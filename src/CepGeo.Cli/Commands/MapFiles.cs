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
        using var drawn = Draw(result, format, text, lambert93, print, version, date, byArea, cancel, onMap);
        return Write(drawn, create, mapsPrefix, cancel, onMap, onStage);
    }

    /// <summary>The study's maps drawn (<see cref="Draw"/>), in memory, with what the fiches and the report are drawn with: the
    /// scene, the report's content, the maps' lettering (<paramref name="Options"/>; <paramref name="Printed"/>, report.html's).
    /// Disposing it frees the fonts.</summary>
    internal sealed record StudyMaps(AnalysisResult Result, ReportContent Content, MapScene Scene, MapOptions Options, MapOptions Printed,
        IReadOnlyList<MapSpec> Plan, IReadOnlyList<(byte[]? Png, byte[] Report, byte[]? Svg, byte[]? Print)> Images) : IDisposable
    {
        public void Dispose() => Options.Fonts.Dispose();
    }

    /// <summary>
    /// Draws the study's maps (maps/*.png, *.svg, *-a4.png and report.html's copies) into memory, side by side: each image of each
    /// map is independent, the scene is shared read-only. Opens no file, so that analyze can draw them while it writes its other
    /// files (<see cref="DrawBeside"/>).
    /// </summary>
    internal static StudyMaps Draw(AnalysisResult result, string format, MapText text, bool lambert93, bool print, string version, string date,
        bool byArea = false, CancellationToken cancel = default, Action<string>? onMap = null, Action<TimeSpan>? onCpu = null)
    {
        var fonts = LoadFonts();
        try
        {
            var content = ReportContent.Build(result);
            var options = new MapOptions(fonts, text, version, date, byArea, content.Names, Cancel: cancel);
            // The report prints its maps at A4 portrait width: lettering 1.6 times larger keeps legends at 7 pt or more.
            var printed = options with { TextScale = 1.6f };
            var scene = MapScene.Build(result, lambert93);
            var plan = MapRenderer.Plan(result);
            var images = new (byte[]? Png, byte[] Report, byte[]? Svg, byte[]? Print)[plan.Count];
            var progress = new object();
            // The heaviest maps begun first (a distance map fills every commune, a misfit map hatches its defects): the last map
            // drawn is a light one, and the other core is not left idle for long at the end. Kept in plan order all the same.
            int[] order = [.. Enumerable.Range(0, plan.Count).OrderBy(i => plan[i].Kind switch { MapKind.Distance => 0, MapKind.Misfit => 1, _ => 2 })];
            try
            {
                Parallel.For(0, order.Length, new ParallelOptions { CancellationToken = cancel }, k =>
                {
                    var started = ThreadClock.Now();
                    int i = order[k];
                    var spec = plan[i];
                    if (onMap is not null) lock (progress) onMap(spec.Name);
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
                    if (onCpu is not null && started is { } t0 && ThreadClock.Now() is { } t1) lock (progress) onCpu(t1 - t0);
                });
            }
            finally
            {
                // The layers' paths at the study maps' scales (built once, shared by all of them) are not needed by the fiches;
                // native memory, freed also when a map failed or Ctrl+C stopped them.
                scene.ReleasePaths();
            }
            return new StudyMaps(result, content, scene, options, printed, plan, images);
        }
        catch
        {
            fonts.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts drawing the study's maps (<see cref="Draw"/>) on a thread of its own and returns at once: analyze draws them while it
    /// writes its other files, a step that leaves a core idle part of the time (issue 28: one step's serial tail fills the other's
    /// idle core). <see cref="Beside.Finish"/> waits for them; disposing without it (the run failed) stops the drawing and waits.
    /// </summary>
    internal static Beside DrawBeside(AnalysisResult result, string format, MapText text, bool lambert93, bool print, string version,
        string date, bool byArea, CancellationToken cancel) =>
        new((stop, onCpu) => Draw(result, format, text, lambert93, print, version, date, byArea, stop, onCpu: onCpu), cancel);

    /// <summary>The study's maps being drawn beside another step (<see cref="DrawBeside"/>), with the time they took.</summary>
    internal sealed class Beside : IDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task<StudyMaps> _drawing;
        private readonly object _gate = new();
        private TimeSpan _cpu;
        private bool _cpuKnown = true, _taken;

        public Beside(Func<CancellationToken, Action<TimeSpan>, StudyMaps> draw, CancellationToken cancel)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var token = _stop.Token;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            _drawing = Task.Factory.StartNew(() =>
            {
                int own = Environment.CurrentManagedThreadId;
                var started = ThreadClock.Now();
                try
                {
                    // The maps drawn on the pool's threads count their own processor time; this thread's is counted whole.
                    return draw(token, cpu =>
                    {
                        if (Environment.CurrentManagedThreadId != own) lock (_gate) _cpu += cpu;
                    });
                }
                finally
                {
                    Seconds = watch.Elapsed.TotalSeconds;
                    lock (_gate)
                        if (started is { } t0 && ThreadClock.Now() is { } t1) _cpu += t1 - t0;
                        else _cpuKnown = false;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>From the start of the drawing to its last map, in seconds (once <see cref="Finish"/> returned).</summary>
        public double Seconds { get; private set; }

        /// <summary>The processor seconds of the threads that drew the maps; null where the system does not tell a thread's.</summary>
        public double? Cpu
        {
            get
            {
                lock (_gate) return _cpuKnown ? _cpu.TotalSeconds : null;
            }
        }

        /// <summary>Waits for the maps; a failure or Ctrl+C in the drawing is thrown as it was. The caller disposes what it returns.</summary>
        public StudyMaps Finish()
        {
            var maps = _drawing.GetAwaiter().GetResult();
            _taken = true;
            return maps;
        }

        /// <summary>Without <see cref="Finish"/>: stops the drawing and waits for it (its error, if any, is not the run's).</summary>
        public void Dispose()
        {
            if (!_taken)
            {
                _stop.Cancel();
                try
                {
                    _drawing.Wait();
                }
                catch (AggregateException)
                {
                    // Stopped, or failed: the caller's own failure is the one reported.
                }
                if (_drawing.IsCompletedSuccessfully) _drawing.Result.Dispose();
                _taken = true;
            }
            _stop.Dispose();
        }
    }

    /// <summary>Saves the study's maps drawn by <see cref="Draw"/>, then draws the fiches, atlas.pdf and report.html; returns the
    /// names written.</summary>
    internal static List<string> Write(StudyMaps drawn, Func<string, Stream> create, string mapsPrefix, CancellationToken cancel = default,
        Action<string>? onMap = null, Action<string>? onStage = null)
    {
        ArgumentNullException.ThrowIfNull(drawn);
        var (result, content, scene, options, printed, plan, images) = drawn;
        var (text, byArea, version, date) = (options.Text, options.ByArea, options.Version, options.Date);
        var written = new List<string>();
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

    /// <summary>The study's maps drawn beside the writing of the other files (<see cref="DrawBeside"/>), for --timings.</summary>
    public const string StageDrawn = "maps.drawn";

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
