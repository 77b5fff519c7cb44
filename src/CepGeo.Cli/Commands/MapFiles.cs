using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;

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
            return MapFonts.FromStreams(r, b);
        }
        if (!File.Exists(custom))
            throw new CepGeoInputException(custom, null,
                $"{FontVariable} names a font file that does not exist; unset it to use the DejaVu Sans that ships with CepGeo");
        try
        {
            using var r = File.OpenRead(custom);
            return MapFonts.FromStreams(r, null);
        }
        catch (InvalidDataException e)
        {
            throw new CepGeoInputException(custom, null, e.Message);
        }
    }

    /// <summary>Renders every map of the analysis and report.html; returns the names written.</summary>
    /// <param name="create">Opens an output by relative name.</param>
    /// <param name="mapsPrefix">Folder of the maps relative to report.html ("maps/" or "").</param>
    /// <param name="cancel">Checked before each map (about a second each on a region): Ctrl+C acts within a map, not after all of them.</param>
    /// <param name="onMap">Told each map's name as it starts (progress).</param>
    public static List<string> Write(AnalysisResult result, Func<string, Stream> create, string mapsPrefix, string format,
        MapText text, bool lambert93, bool print, string version, string date, CancellationToken cancel = default, Action<string>? onMap = null)
    {
        using var fonts = LoadFonts();
        var options = new MapOptions(fonts, text, version, date);
        var scene = MapScene.Build(result, lambert93);
        var written = new List<string>();
        var embedded = new List<ReportMap>();
        foreach (var spec in MapRenderer.Plan(result))
        {
            cancel.ThrowIfCancellationRequested();
            onMap?.Invoke(spec.Name);
            // The screen PNG is always drawn: report.html embeds it.
            using var png = new MemoryStream();
            MapRenderer.WritePng(png, scene, spec, options);
            embedded.Add(new ReportMap(spec, MapRenderer.Title(scene, spec, text), png.ToArray()));
            if (format is "png" or "both") written.Add(Save(create, mapsPrefix + spec.Name + ".png", png.ToArray()));
            if (format is "svg" or "both")
            {
                using var s = create(mapsPrefix + spec.Name + ".svg");
                MapRenderer.WriteSvg(s, scene, spec, options);
                written.Add(mapsPrefix + spec.Name + ".svg");
            }
            if (print)
            {
                string name = mapsPrefix + spec.Name + "-a4.png";
                using var s = create(name);
                MapRenderer.WritePng(s, scene, spec, options, MapLayout.PrintWidth, MapLayout.PrintHeight);
                written.Add(name);
            }
        }
        using (var s = create("report.html"))
        using (var w = new StreamWriter(s, new UTF8Encoding(false)))
            HtmlReport.Write(w, result, text, version, date, embedded);
        written.Add("report.html");
        return written;
    }

    private static string Save(Func<string, Stream> create, string name, byte[] bytes)
    {
        using var s = create(name);
        s.Write(bytes);
        return name;
    }
}
