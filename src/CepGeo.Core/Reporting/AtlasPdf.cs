using CepGeo.Core.Rendering;
using SkiaSharp;

namespace CepGeo.Core.Reporting;

/// <summary>
/// atlas.pdf: the synthèse and one fiche territoire per cell as vector A4 portrait pages a planner can e-mail,
/// drawn with SkiaSharp's PDF backend (no browser). Each page is recorded as an <see cref="SKPicture"/> in
/// parallel, then the pictures are replayed into the document in order (a PDF document is written sequentially).
/// </summary>
public static class AtlasPdf
{
    /// <summary>A4 portrait in PDF points (1/72 in).</summary>
    public const float PageWidth = 595.28f, PageHeight = 841.89f;

    private const float Margin = 36, Body = 9.5f, Small = 8f, Heading = 12f;

    /// <summary>Writes the atlas; returns its number of pages.</summary>
    /// <param name="cancel">Checked before each fiche and each page (Ctrl+C within a second on a national atlas).</param>
    public static int Write(Stream stream, MapScene scene, ReportContent content, MapOptions options, string studyName,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        var synthese = Synthese(scene, content, options, studyName);
        var fiches = new List<SKPicture>[content.Fiches.Count];
        Parallel.For(0, content.Fiches.Count, new ParallelOptions { CancellationToken = cancel },
            i => fiches[i] = Fiche(scene, content, content.Fiches[i], options));
        var pages = synthese.Concat(fiches.SelectMany(p => p)).ToList();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = studyName,
            Creator = $"CepGeo {options.Version}",
            Producer = "CepGeo (SkiaSharp PDF)",
            RasterDpi = 150,
        };
        using (var managed = new SKManagedWStream(stream))
        using (var doc = SKDocument.CreatePdf(managed, metadata))
        {
            int n = 0;
            foreach (var page in pages)
            {
                cancel.ThrowIfCancellationRequested();
                var canvas = doc.BeginPage(PageWidth, PageHeight);
                canvas.DrawPicture(page);
                Folio(canvas, options, ++n, pages.Count);
                doc.EndPage();
            }
            doc.Close();
        }
        foreach (var p in pages) p.Dispose();
        return pages.Count;
    }

    private static void Folio(SKCanvas canvas, MapOptions o, int n, int of)
    {
        using var font = new SKFont(o.Fonts.Regular, Small);
        using var grey = new SKPaint { Color = new SKColor(0x66, 0x66, 0x66), IsAntialias = true };
        canvas.DrawText($"{n} / {of}", PageWidth - Margin, PageHeight - 18, SKTextAlign.Right, font, grey);
        canvas.DrawText(o.Text.MadeWith(o.Version, o.Date), Margin, PageHeight - 18, SKTextAlign.Left, font, grey);
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

    private static List<SKPicture> Fiche(MapScene scene, ReportContent content, TerritoryFiche f, MapOptions o)
    {
        var t = o.Text;
        bool byPop = scene.Result.HasWeights;
        var w = new PageWriter(o);
        w.Text($"{t.T("Territoire", "Area")} : {f.CellName}", 15, bold: true);
        w.Text(f.Pop is double p ? t.T($"{t.People(p)} habitants, {t.N(f.AreaKm2, "#,0")} km²", $"{t.People(p)} people, {t.N(f.AreaKm2, "#,0")} km²") : $"{t.N(f.AreaKm2, "#,0")} km²", Small);
        w.Map(scene, new MapSpec($"fiche-{f.CellId}", MapKind.Territory, Cell: f.CellIndex));
        foreach (var op in f.Operators)
        {
            if (w.NearBottom(90)) w.NewPage();
            w.Text(op.Label, Heading, bold: true);
            w.Paragraph(TerritoryFiche.Sentence(t, op, byPop), Body);
            float wide = PageWidth - 2 * Margin;
            w.Row([t.T("zone d'intervention", "service area"), byPop ? t.T("habitants", "people") : "km²", t.T("part", "share")], [wide * 0.6f, wide * 0.2f, wide * 0.2f], null, bold: true);
            foreach (var pr in op.Partners)
            {
                if (w.NearBottom(14)) w.NewPage();
                w.Row([pr.Name + (pr.Main ? t.T(" (principale)", " (main)") : ""), byPop ? t.N(Math.Round(pr.Amount), "#,0") : t.N(pr.Amount, "#,0.#"), t.Pct(pr.Share * 100, "0.#")],
                    [wide * 0.6f, wide * 0.2f, wide * 0.2f], null);
            }
            w.Paragraph(TerritoryFiche.MovesSentence(t, op, byPop), Body);
            var listed = op.Moves.Take(5).ToList();
            if (listed.Count > 0)
                w.Paragraph(string.Join(", ", listed.Select(m => $"{m.Name} ({t.N(Math.Round(m.Pop), "#,0")})"))
                    + (op.Moves.Count > listed.Count ? t.T($" et {op.Moves.Count - listed.Count} autres communes.", $" and {op.Moves.Count - listed.Count} more communes.") : "."), Small);
            w.Gap(4);
        }
        return w.Finish();
    }

    /// <summary>Lays text, table rows and maps down a page, starting a new one when the page is full.</summary>
    private sealed class PageWriter(MapOptions o)
    {
        private readonly List<SKPicture> _pages = [];
        private SKPictureRecorder? _recorder;
        private SKCanvas _canvas = null!;
        private float _y;

        private SKCanvas Canvas
        {
            get
            {
                if (_recorder is null) Start();
                return _canvas;
            }
        }

        private void Start()
        {
            _recorder = new SKPictureRecorder();
            _canvas = _recorder.BeginRecording(new SKRect(0, 0, PageWidth, PageHeight));
            _y = Margin;
        }

        public bool NearBottom(float needed) => _recorder is not null && _y + needed > PageHeight - Margin - 10;

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
            var c = Canvas;
            using var font = new SKFont(bold ? o.Fonts.Bold : o.Fonts.Regular, size);
            using var ink = new SKPaint { Color = MapRenderer.Ink, IsAntialias = true };
            foreach (var line in TextLines.Wrap(text, font, PageWidth - 2 * Margin))
            {
                if (NearBottom(size * 1.3f)) NewPage();
                _y += size * 1.3f;
                Canvas.DrawText(line, Margin, _y, SKTextAlign.Left, font, ink);
            }
            _y += size * 0.35f;
            _ = c;
        }

        public void Paragraph(string text, float size) => Text(text, size);

        public void Row(IReadOnlyList<string> cells, IReadOnlyList<float> widths, IReadOnlyList<SKColor?>? fills, bool bold = false)
        {
            var c = Canvas;
            const float h = 12;
            if (NearBottom(h)) NewPage();
            using var font = new SKFont(bold ? o.Fonts.Bold : o.Fonts.Regular, Body - 0.5f);
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
                string text = TextLines.Fit(cells[i], font, widths[i] - 6);
                if (i == 0) Canvas.DrawText(text, x + 3, _y + h - 3f, SKTextAlign.Left, font, ink);
                else Canvas.DrawText(text, rect.Right - 3, _y + h - 3f, SKTextAlign.Right, font, ink);
                x += widths[i];
            }
            _y += h;
            _ = c;
        }

        /// <summary>A map drawn at three quarters of the page's text width (vector), its lettering doubled: legends at 7 pt on paper.</summary>
        public void Map(MapScene scene, MapSpec spec)
        {
            var c = Canvas;
            // Three quarters of the text width, centred: the map and three operators' tables fit on one page.
            float width = (PageWidth - 2 * Margin) * 0.76f, left = (PageWidth - width) / 2;
            var layout = new MapLayout(MapRenderer.Extent(scene, spec), MapLayout.ScreenWidth);
            float scale = width / layout.Width, height = layout.Height * scale;
            if (NearBottom(height)) NewPage();
            Canvas.Save();
            Canvas.Translate(left, _y + 4);
            Canvas.Scale(scale);
            Canvas.ClipRect(new SKRect(0, 0, layout.Width, layout.Height));
            MapRenderer.Draw(Canvas, layout, scene, spec, o with { TextScale = Math.Max(o.TextScale, 2f) });
            Canvas.Restore();
            _y += height + 10;
            _ = c;
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
