using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>A fiche territoire's map as compact inline SVG for report.html: vector, drawn by the browser, crisp in print.</summary>
public static partial class FicheSvg
{
    /// <summary>The media type a report map carries when it is a fiche drawn as inline SVG.</summary>
    public const string Mime = "image/svg+xml";

    /// <summary>
    /// The map as one &lt;svg&gt; to inline in report.html: the lettering, legend, scale bar and sites drawn by Skia's SVG canvas
    /// (then compacted, <see cref="Compact"/>), the geometry written here from the paths already built, each layer one
    /// &lt;path&gt; in relative coordinates, a line stroked twice (a halo under it) written once and used twice, dashes as
    /// stroke-dasharray. Its ids are prefixed with the cell's index: 287 of them live in one page.
    /// </summary>
    public static string Write(MapScene scene, MapSpec spec, MapOptions options, TerritoryPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var layout = paths.Layout;
        using var ms = new MemoryStream();
        using (var managed = new SKManagedWStream(ms))
        {
            using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), managed))
                MapRenderer.Draw(canvas, layout, scene, spec, options, paths, geometry: false, svg: true);
            managed.Flush();
        }
        string prefix = $"f{paths.Cell}-";
        string svg = Compact(Encoding.UTF8.GetString(ms.ToArray()));
        svg = NumberIds(svg, prefix);
        // After the sheet's white ground (Skia's first element, from the canvas's Clear), under everything else.
        var ground = Ground().Match(svg);
        if (!ground.Success) throw new InvalidOperationException("Skia's SVG of a fiche did not start with its white ground");
        return svg.Insert(ground.Index + ground.Length, Geometry(paths, prefix));
    }

    /// <summary>The fiche's layers (<see cref="MapRenderer.FicheLayers"/>, the canvas's drawing order) in the map frame's clip.</summary>
    internal static string Geometry(TerritoryPaths paths, string prefix)
    {
        var layers = MapRenderer.FicheLayers(paths).ToList();
        var map = paths.Layout.Map;
        var sb = new StringBuilder(1 << 16);
        string F(float v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        sb.Append($"<clipPath id=\"{prefix}map\"><rect x=\"{F(map.Left)}\" y=\"{F(map.Top)}\" width=\"{F(map.Width)}\" height=\"{F(map.Height)}\"/></clipPath>");
        // A path drawn by two layers (a line and its halo) is defined once.
        var shared = layers.GroupBy(l => l.Lines).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var ids = new Dictionary<Polylines, string>();
        if (shared.Count > 0)
        {
            sb.Append("<defs>");
            foreach (var lines in shared)
            {
                string id = $"{prefix}p{ids.Count}";
                ids[lines] = id;
                sb.Append($"<path id=\"{id}\" d=\"");
                lines.SvgData(sb);
                sb.Append("\"/>");
            }
            sb.Append("</defs>");
        }
        sb.Append($"<g clip-path=\"url(#{prefix}map)\" stroke-linejoin=\"bevel\">");
        foreach (var l in layers)
        {
            if (l.Lines.Parts == 0) continue;
            string paint = l.Width == 0
                ? $"fill=\"{Hex(l.Color)}\" fill-rule=\"evenodd\""
                : $"fill=\"none\" stroke=\"{Hex(l.Color)}\" stroke-width=\"{F(l.Width * paths.Layout.U)}\""
                    + (l.Dash is { } dash ? $" stroke-dasharray=\"{string.Join(' ', dash.Select(v => F(v * paths.Layout.U)))}\"" : " stroke-linecap=\"round\"");
            if (ids.TryGetValue(l.Lines, out var id))
                sb.Append($"<use href=\"#{id}\" {paint}/>");
            else
            {
                sb.Append($"<path {paint} d=\"");
                l.Lines.SvgData(sb);
                sb.Append("\"/>");
            }
        }
        sb.Append("</g>");
        return sb.ToString();
    }

    private static string Hex(SKColor c) => $"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}";

    /// <summary>
    /// Skia's SVG made fit to inline in a page 287 times: no XML declaration, a viewBox instead of a fixed size (the page sizes
    /// it), no indentation, each path of lines and moves written relative to the previous point on a grid of a tenth of a
    /// unit (the paths are snapped to one unit; dashes cut between, 0.03 pt on paper), and glyph positions to the unit.
    /// Skia writes every coordinate absolute (no flag for relative paths in SkiaSharp): about twice the bytes.
    /// </summary>
    public static string Compact(string svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        svg = Declaration().Replace(svg, "");
        // Skia names the font it drew with on every <text>: said once on the root, followed by fonts of about the same
        // widths, so that a planner's computer without DejaVu Sans shows sans-serif lettering, not the browser's serif.
        string family = FontFamily().Match(svg) is { Success: true } f ? f.Groups[1].Value : "DejaVu Sans";
        svg = FontFamily().Replace(svg, "");
        svg = Root().Replace(svg, m => $"<svg viewBox=\"0 0 {m.Groups[1].Value} {m.Groups[2].Value}\" font-family=\"'{family}',Verdana,Arial,sans-serif\">", 1);
        svg = Between().Replace(svg, "><");
        svg = TextContent().Replace(svg, m => ">" + m.Groups[1].Value + "</text>");
        svg = PathData().Replace(svg, m => " d=\"" + CompactPath(m.Groups[1].Value) + "\"");
        svg = GlyphPositions().Replace(svg, m => $" {m.Groups[1].Value}=\"{string.Join(' ', m.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Math.Round(double.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)))}\"");
        return svg.Trim();
    }

    /// <summary>
    /// Skia's ids (its clips) renumbered in their order in <paramref name="svg"/>, after <paramref name="prefix"/>: Skia numbers
    /// them from a counter of the process, and maps and fiches are drawn side by side in no set order, so the same study gave
    /// other ids (other bytes) from run to run.
    /// </summary>
    internal static string NumberIds(string svg, string prefix)
    {
        var local = new Dictionary<string, int>(StringComparer.Ordinal);
        return Ids().Replace(svg, m =>
        {
            if (!local.TryGetValue(m.Groups[2].Value, out int n)) local[m.Groups[2].Value] = n = local.Count;
            return m.Groups[1].Value + prefix + "s" + n.ToString(CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Path data (moves, lines, quadratic and cubic curves, closes: what Skia writes for the fiche's geometry and its
    /// site markers) rewritten relative, in tenths of a unit; a path with any other command is left as Skia wrote it.</summary>
    internal static string CompactPath(string d)
    {
        var sb = new StringBuilder(d.Length / 2);
        long cx = 0, cy = 0, sx = 0, sy = 0;
        char command = '\0', written = '\0';
        Span<long> xy = stackalloc long[6];
        int i = 0;
        while (true)
        {
            while (i < d.Length && d[i] is ' ' or ',' or '\t' or '\n' or '\r') i++;
            if (i >= d.Length) break;
            char c = d[i];
            if (c is 'Z' or 'z')
            {
                sb.Append('z');
                (cx, cy) = (sx, sy);
                written = 'z';
                command = 'Z';
                i++;
                continue;
            }
            if (c is 'M' or 'L' or 'Q' or 'C')
            {
                command = c;
                i++;
            }
            else if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.') || command is not ('M' or 'L' or 'Q' or 'C')) return d;
            int pairs = command switch { 'Q' => 2, 'C' => 3, _ => 1 };
            for (int k = 0; k < 2 * pairs; k++)
                if (!TryTenths(d, ref i, out xy[k])) return d;
            long x = xy[2 * pairs - 2], y = xy[2 * pairs - 1];
            if (command == 'M')
            {
                if (sb.Length == 0)
                {
                    sb.Append('M');
                    Number(sb, x);
                    Number(sb, y);
                    written = 'M';
                }
                else
                {
                    sb.Append('m');
                    Number(sb, x - cx);
                    Number(sb, y - cy);
                    // Pairs after a relative move are relative lines: no letter needed.
                    written = 'l';
                }
                (sx, sy) = (x, y);
                command = 'L';
            }
            else
            {
                char letter = char.ToLowerInvariant(command);
                if (written != letter) sb.Append(letter);
                for (int k = 0; k < pairs; k++)
                {
                    Number(sb, xy[2 * k] - cx);
                    Number(sb, xy[2 * k + 1] - cy);
                }
                written = letter;
            }
            (cx, cy) = (x, y);
        }
        return sb.ToString();
    }

    private static bool TryTenths(string d, ref int i, out long tenths)
    {
        while (i < d.Length && d[i] is ' ' or ',') i++;
        int start = i;
        while (i < d.Length && (char.IsAsciiDigit(d[i]) || d[i] is '.' || ((d[i] is '-' or '+') && (i == start || d[i - 1] is 'e' or 'E')) || d[i] is 'e' or 'E')) i++;
        bool ok = double.TryParse(d.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v);
        tenths = ok ? (long)Math.Round(v * 10) : 0;
        return ok;
    }

    private static void Number(StringBuilder sb, long tenths) => Polylines.Number(sb, tenths);

    [GeneratedRegex(@"( id=""|href=""#|url\(#)([^"")]+)")]
    private static partial Regex Ids();

    [GeneratedRegex(@"^<svg [^>]*><rect [^>]*/>")]
    private static partial Regex Ground();

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"<svg [^>]*width=""([0-9.]+)"" height=""([0-9.]+)"">")]
    private static partial Regex Root();

    [GeneratedRegex(@" font-family=""([^""']*)""")]
    private static partial Regex FontFamily();

    [GeneratedRegex(@">\s+<")]
    private static partial Regex Between();

    [GeneratedRegex(@">\s+([^<]*?)\s*</text>")]
    private static partial Regex TextContent();

    [GeneratedRegex(@" d=""([^""]*)""")]
    private static partial Regex PathData();

    [GeneratedRegex(@" (x|y)=""([-0-9.e, ]+,[-0-9.e, ]*)""")]
    private static partial Regex GlyphPositions();
}
