using CepGeo.Core.Rendering;
using SkiaSharp;

namespace CepGeo.Core.Reporting;

/// <summary>
/// atlas.pdf: the synthèse and one fiche territoire per cell as vector A4 portrait pages a planner can e-mail,
/// drawn with SkiaSharp's PDF backend (no browser). Each fiche is recorded as an <see cref="SKPicture"/> on the thread pool
/// while the pages already recorded are replayed into the document in order (a PDF document is written sequentially); map
/// lines are drawn at print resolution once, shared with report.html (see <see cref="TerritoryPaths"/>).
/// </summary>
public static class AtlasPdf
{
    /// <summary>A4 portrait in PDF points (1/72 in).</summary>
    public const float PageWidth = 595.28f, PageHeight = 841.89f;

    private const float Margin = 36, Body = 9.5f, Small = 8f, Heading = 12f;

    /// <summary>What was written: every page, the synthèse's pages, and how each fiche was fitted to its one page.</summary>
    public sealed record AtlasLayout(int Pages, int SynthesePages, IReadOnlyList<FicheFit> Fiches);

    /// <summary>Writes the atlas: the synthèse, then exactly one page per cell.</summary>
    /// <param name="cancel">Checked before each fiche and each page (Ctrl+C within a second on a national atlas).</param>
    /// <param name="fichePoints">Extra point layers for a cell's fiche map (by cell index), e.g. sites; null for none.</param>
    /// <param name="fichePaths">Builds a cell's fiche map paths (by cell index; the caller may draw them elsewhere too, as report.html's
    /// SVG), on the screen sheet at <see cref="TerritoryPaths.PrintGrid"/> and <see cref="TerritoryPaths.PrintTolerance"/>; called on
    /// the thread pool, once per cell; the atlas disposes them once the cell's page is recorded. Null to build them here.</param>
    public static AtlasLayout Write(Stream stream, MapScene scene, ReportContent content, MapOptions options, string studyName,
        Func<int, IReadOnlyList<MapPointLayer>?>? fichePoints = null, CancellationToken cancel = default, Func<int, TerritoryPaths?>? fichePaths = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        var synthese = Synthese(scene, content, options, studyName);
        int fiches = content.Fiches.Count, total = synthese.Count + fiches;
        var fits = new FicheFit[fiches];
        // The fiches are recorded on the thread pool while this thread writes the pages in order: a PDF document is written by
        // one thread, and on the national atlas writing a page (Skia's deflate of its content, most of it) takes as long as
        // recording one. At most twice the cores' count of fiches are recorded ahead of the page being written: few pictures wait.
        var recording = new Task<(SKPicture Page, FicheFit Fit)>?[fiches];
        int ahead = Math.Max(2, 2 * Environment.ProcessorCount), started = 0;
        void StartUpTo(int last)
        {
            for (; started < fiches && started <= last; started++)
            {
                int i = started;
                recording[i] = Task.Run(() =>
                {
                    cancel.ThrowIfCancellationRequested();
                    int cell = content.Fiches[i].CellIndex;
                    // The page's picture keeps what it draws: the paths are freed as soon as it is recorded (a few fiches' at a time).
                    using var paths = fichePaths?.Invoke(cell);
                    return Fiche(scene, content.Fiches[i], options, fichePoints?.Invoke(cell), paths);
                }, cancel);
            }
        }
        var metadata = new SKDocumentPdfMetadata
        {
            Title = studyName,
            Creator = $"CepGeo {options.Version}",
            Producer = "CepGeo (SkiaSharp PDF)",
            RasterDpi = 150,
        };
        int written = 0;
        try
        {
            StartUpTo(ahead - 1);
            using var managed = new SKManagedWStream(stream);
            using var doc = SKDocument.CreatePdf(managed, metadata);
            void WritePage(SKPicture page)
            {
                cancel.ThrowIfCancellationRequested();
                var canvas = doc.BeginPage(PageWidth, PageHeight);
                canvas.DrawPicture(page);
                Folio(canvas, options, ++written, total);
                doc.EndPage();
            }
            foreach (var page in synthese) WritePage(page);
            for (int i = 0; i < fiches; i++)
            {
                StartUpTo(i + ahead);
                var (page, fit) = recording[i]!.GetAwaiter().GetResult();
                recording[i] = null;
                fits[i] = fit;
                using (page) WritePage(page);
            }
            doc.Close();
        }
        finally
        {
            foreach (var p in synthese) p.Dispose();
            // Stopped (Ctrl+C or an error): the fiches still being recorded are waited for and their pictures freed.
            foreach (var t in recording)
            {
                if (t is null) continue;
                try
                {
                    t.GetAwaiter().GetResult().Page.Dispose();
                }
                catch (Exception)
                {
                    // Already reported by the page that stopped the atlas, or cancelled with it.
                }
            }
        }
        return new AtlasLayout(total, synthese.Count, fits);
    }

    private static void Folio(SKCanvas canvas, MapOptions o, int n, int of)
    {
        using var font = PdfText.Font(o.Fonts.Regular, Small);
        using var grey = new SKPaint { Color = new SKColor(0x66, 0x66, 0x66), IsAntialias = true };
        PdfText.Draw(canvas, o.Fonts, $"{n} / {of}", PageWidth - Margin, PageHeight - 18, SKTextAlign.Right, font, grey);
        PdfText.Draw(canvas, o.Fonts, o.Text.MadeWith(o.Version, o.Date), Margin, PageHeight - 18, SKTextAlign.Left, font, grey);
    }

    private static List<SKPicture> Synthese(MapScene scene, ReportContent content, MapOptions o, string studyName)
    {
        var t = o.Text;
        var r = scene.Result;
        var w = new PageWriter(o);
        w.Text(studyName, 16, bold: true);
        w.Text(t.T("Synthèse", "Key findings"), 14, bold: true);
        foreach (var line in content.Synthesis.Sentences(t)) w.Paragraph("• " + line, Body);
        w.Gap(6);
        bool byPop = r.HasWeights;
        w.Text(byPop ? t.T("Désalignement en population, territoire par territoire", "Misfit by population, area by area")
            : t.T("Désalignement en surface, territoire par territoire", "Misfit by area, area by area"), Heading, bold: true);
        var cs = r.Comparisons;
        if (cs.Count > 0)
        {
            double V(Metrics.CellMetric m) => byPop ? m.PopMisfit ?? m.Misfit : m.Misfit;
            var order = Enumerable.Range(0, r.Infos[0].Ids.Count)
                .OrderByDescending(i => cs.Max(c => V(c.Cells[i]))).ThenBy(i => r.Infos[0].Ids[i], StringComparer.Ordinal).ToList();
            float nameWidth = (PageWidth - 2 * Margin) * 0.4f, colWidth = (PageWidth - 2 * Margin - nameWidth) / cs.Count;
            void HeaderRow() => w.Row([t.T("territoire", "area"), .. cs.Select(c => r.Infos.First(i => i.Key == c.Operator).Label)],
                [nameWidth, .. cs.Select(_ => colWidth)], null, bold: true);
            HeaderRow();
            foreach (int i in order)
            {
                if (w.NearBottom(14)) { w.NewPage(); HeaderRow(); }
                var values = cs.Select(c => V(c.Cells[i])).ToList();
                w.Row([content.Names.Of("cells", r.Infos[0].Ids[i]), .. values.Select(v => t.N(v, "0.000"))],
                    [nameWidth, .. cs.Select(_ => colWidth)], [null, .. values.Select(v => (SKColor?)MisfitClasses.Colors[MisfitClasses.ClassOf(v)])]);
            }
        }
        return w.Finish();
    }

    /// <summary>How a fiche was fitted to its page: the map's width on paper (pt), the rows listed, and any shrinking.</summary>
    /// <param name="Scale">1 when the fiche fits at full size; below 1 only when even the smallest map and the shortest lists overflow.</param>
    public sealed record FicheFit(string CellId, float MapWidth, int Partners, int Moves, float Scale);

    /// <summary>How many partner zones and communes a fiche lists, tried in this order until the page holds it.</summary>
    private static readonly (int Partners, int Moves)[] Caps = [(5, 5), (4, 4), (3, 3), (2, 2), (1, 1)];

    /// <summary>The fiche map's width on paper: at most 90 % of the text width, at least 55 % (then 203 pt high).</summary>
    private const float MaxMapShare = 0.9f, MinMapShare = 0.55f;

    /// <summary>The map sheet's height over its width (A4 landscape proportions).</summary>
    private static readonly float SheetRatio = (float)Math.Round(MapLayout.ScreenWidth / Math.Sqrt(2)) / MapLayout.ScreenWidth;

    /// <summary>
    /// One fiche on one A4 page: its text is laid out first without the map (partner table and commune list capped,
    /// shorter caps tried until the text leaves room for the smallest map), then the map takes the room left, up to
    /// 90 % of the text width. A fiche still too long (a cell worked by very many networks) is shrunk to the page.
    /// </summary>
    private static (SKPicture Page, FicheFit Fit) Fiche(MapScene scene, TerritoryFiche f, MapOptions o, IReadOnlyList<MapPointLayer>? points,
        TerritoryPaths? paths)
    {
        float text = PageWidth - 2 * Margin;
        float minMap = text * MinMapShare, maxMap = text * MaxMapShare;
        foreach (var (partners, moves) in Caps)
        {
            var probe = new PageWriter(o, onePage: true, measure: true);
            FicheBody(probe, scene, f, o, partners, moves, 0, points, null);
            float room = PageWriter.Bottom - probe.Y - MapGap;
            float width = Math.Min(maxMap, room / SheetRatio);
            if (width >= minMap || (partners, moves) == Caps[^1])
            {
                width = Math.Max(width, minMap);
                var w = new PageWriter(o, onePage: true, measure: false);
                FicheBody(w, scene, f, o, partners, moves, width, points, paths);
                var (page, scale) = w.FinishOne();
                return (page, new FicheFit(f.CellId, width, partners, moves, scale));
            }
        }
        throw new InvalidOperationException("unreachable: the last caps always draw");
    }

    private const float MapGap = 14;

    private static void FicheBody(PageWriter w, MapScene scene, TerritoryFiche f, MapOptions o, int maxPartners, int maxMoves, float mapWidth,
        IReadOnlyList<MapPointLayer>? points, TerritoryPaths? paths)
    {
        var t = o.Text;
        bool byPop = scene.Result.HasWeights;
        w.Text($"{t.T("Territoire", "Area")} : {f.CellName}", 15, bold: true);
        w.Text(f.Pop is double p ? t.T($"{t.People(p)} habitants, {t.N(f.AreaKm2, "#,0")} km²", $"{t.People(p)} people, {t.N(f.AreaKm2, "#,0")} km²") : $"{t.N(f.AreaKm2, "#,0")} km²", Small);
        if (mapWidth > 0) w.Map(scene, new MapSpec($"fiche-{f.CellId}", MapKind.Territory, Cell: f.CellIndex, Points: points), mapWidth, paths);
        float wide = PageWidth - 2 * Margin;
        float[] widths = [wide * 0.6f, wide * 0.2f, wide * 0.2f];
        foreach (var op in f.Operators)
        {
            w.Text(op.Label, Heading, bold: true);
            w.Paragraph(TerritoryFiche.Sentence(t, op, byPop), Body);
            w.Row([t.T("zone d'intervention", "service area"), byPop ? t.T("habitants", "people") : "km²", t.T("part", "share")], widths, null, bold: true);
            var (listed, others, othersAmount, othersShare) = op.TopPartners(maxPartners);
            foreach (var pr in listed)
                w.Row([pr.Name + (pr.Main ? t.T(" (principale)", " (main)") : ""), byPop ? t.N(Math.Round(pr.Amount), "#,0") : t.N(pr.Amount, "#,0.#"), t.Pct(pr.Share * 100, "0.#")],
                    widths, null);
            if (others > 0)
                w.Row([FicheOperator.OthersLabel(t, others), byPop ? t.N(Math.Round(othersAmount), "#,0") : t.N(othersAmount, "#,0.#"), t.Pct(othersShare * 100, "0.#")], widths, null);
            w.Paragraph(TerritoryFiche.MovesSentence(t, op, byPop), Body);
            var (moves, more, morePop) = op.TopMoves(maxMoves);
            if (moves.Count > 0)
                w.Paragraph(string.Join(", ", moves.Select(m => $"{m.Name} ({t.N(Math.Round(m.Pop), "#,0")})"))
                    + (more > 0 ? t.T($" et {more} autres communes ({t.People(morePop)} hab.).", $" and {more} more communes ({t.People(morePop)} people).") : "."), Body - 0.5f);
            w.Gap(3);
        }
    }

    /// <summary>Lays text, table rows and maps down a page, starting a new one when the page is full.</summary>
    /// <param name="onePage">Never break the page (a fiche): the content is recorded on one tall canvas and fitted by <see cref="FinishOne"/>.</param>
    /// <param name="measure">Only advance down the page (maps are not drawn): to learn how tall the text is.</param>
    private sealed class PageWriter(MapOptions o, bool onePage = false, bool measure = false)
    {
        /// <summary>Where content must end: above the folio.</summary>
        public const float Bottom = PageHeight - Margin - 10;

        private readonly List<SKPicture> _pages = [];
        private SKPictureRecorder? _recorder;
        private SKCanvas _canvas = null!;
        private float _y;

        /// <summary>How far down the page the content has come.</summary>
        public float Y => _recorder is null ? Margin : _y;

        private SKCanvas Canvas
        {
            get
            {
                Begin();
                return _canvas;
            }
        }

        /// <summary>Starts the page if none is being recorded: what is placed next is measured from its top.</summary>
        private void Begin()
        {
            if (_recorder is null) Start();
        }

        private void Start()
        {
            _recorder = new SKPictureRecorder();
            _canvas = _recorder.BeginRecording(new SKRect(0, 0, PageWidth, onePage ? PageHeight * 4 : PageHeight));
            _y = Margin;
        }

        public bool NearBottom(float needed) => !onePage && _recorder is not null && _y + needed > Bottom;

        public void NewPage()
        {
            if (_recorder is not null) _pages.Add(_recorder.EndRecording());
            _recorder?.Dispose();
            _recorder = null;
            Start();
        }

        public void Gap(float h) => _y += h;

        public void Text(string text, float size, bool bold = false)
        {
            Begin();
            using var font = PdfText.Font(bold ? o.Fonts.Bold : o.Fonts.Regular, size);
            using var ink = new SKPaint { Color = MapRenderer.Ink, IsAntialias = true };
            foreach (var line in TextLines.Wrap(text, font, PageWidth - 2 * Margin, Measure))
            {
                if (NearBottom(size * 1.3f)) NewPage();
                _y += size * 1.3f;
                Draw(line, Margin, _y, SKTextAlign.Left, font, ink);
            }
            _y += size * 0.35f;
        }

        public void Paragraph(string text, float size) => Text(text, size);

        // The page's text laid out as the PDF's fonts advance it, one run a line (PdfText), and measured so.
        private float Measure(SKFont font, string text) => PdfText.Width(o.Fonts, font, text);

        private void Draw(string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint) =>
            PdfText.Draw(Canvas, o.Fonts, text, x, y, align, font, paint);

        public void Row(IReadOnlyList<string> cells, IReadOnlyList<float> widths, IReadOnlyList<SKColor?>? fills, bool bold = false)
        {
            Begin();
            const float h = 12;
            if (NearBottom(h)) NewPage();
            using var font = PdfText.Font(bold ? o.Fonts.Bold : o.Fonts.Regular, Body - 0.5f);
            using var line = new SKPaint { Color = new SKColor(0xCC, 0xCC, 0xCC), Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
            float x = Margin;
            for (int i = 0; i < cells.Count; i++)
            {
                var rect = new SKRect(x, _y, x + widths[i], _y + h);
                if (fills?[i] is SKColor fill)
                {
                    using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill };
                    Canvas.DrawRect(rect, paint);
                }
                Canvas.DrawRect(rect, line);
                int cls = fills?[i] is SKColor f ? MisfitClasses.Colors.ToList().IndexOf(f) : -1;
                using var ink = new SKPaint { Color = cls >= 3 ? SKColors.White : MapRenderer.Ink, IsAntialias = true };
                string text = TextLines.Fit(cells[i], font, widths[i] - 6, Measure);
                if (i == 0) Draw(text, x + 3, _y + h - 3f, SKTextAlign.Left, font, ink);
                else Draw(text, rect.Right - 3, _y + h - 3f, SKTextAlign.Right, font, ink);
                x += widths[i];
            }
            _y += h;
        }

        /// <summary>
        /// A map <paramref name="width"/> points wide (vector), centred, its lettering scaled so that the legend's 14-unit
        /// text is 7 pt on paper whatever the width (800 / width: 2 at three quarters of the text width).
        /// </summary>
        /// <param name="paths">The fiche's paths already built on the screen sheet, or null to build them at print resolution
        /// (<see cref="TerritoryPaths.PrintGrid"/>, <see cref="TerritoryPaths.PrintTolerance"/>: 0.2 pt on the widest map).</param>
        public void Map(MapScene scene, MapSpec spec, float width, TerritoryPaths? paths)
        {
            Begin();
            float left = (PageWidth - width) / 2;
            var layout = paths?.Layout ?? new MapLayout(MapRenderer.Extent(scene, spec), MapLayout.ScreenWidth);
            float scale = width / layout.Width, height = layout.Height * scale;
            if (NearBottom(height)) NewPage();
            if (!measure)
            {
                Canvas.Save();
                Canvas.Translate(left, _y + 4);
                Canvas.Scale(scale);
                Canvas.ClipRect(new SKRect(0, 0, layout.Width, layout.Height));
                using var own = paths is null ? TerritoryPaths.ForFiche(scene, spec.Cell, o.Cancel) : null;
                MapRenderer.Draw(Canvas, layout, scene, spec, o with { TextScale = Math.Max(o.TextScale, 800f / width), Pdf = true }, paths ?? own);
                Canvas.Restore();
            }
            _y += height + MapGap;
        }

        /// <summary>The one page of a <c>onePage</c> writer, shrunk (top-left anchored) only if its content overflows; and that scale.</summary>
        public (SKPicture Page, float Scale) FinishOne()
        {
            var content = Finish().Single();
            float used = _y;
            if (used <= Bottom) return (content, 1);
            float scale = (Bottom - Margin) / (used - Margin);
            using var recorder = new SKPictureRecorder();
            var canvas = recorder.BeginRecording(new SKRect(0, 0, PageWidth, PageHeight));
            canvas.Translate(Margin * (1 - scale), Margin * (1 - scale));
            canvas.Scale(scale);
            canvas.ClipRect(new SKRect(0, 0, PageWidth, used + 1));
            canvas.DrawPicture(content);
            content.Dispose();
            return (recorder.EndRecording(), scale);
        }

        public List<SKPicture> Finish()
        {
            if (_recorder is not null) _pages.Add(_recorder.EndRecording());
            _recorder?.Dispose();
            _recorder = null;
            return _pages;
        }
    }
}
