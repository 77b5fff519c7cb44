using System.Text;
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

    public const string DejaVuDir = "/usr/share/fonts/truetype/dejavu";

    public static readonly string[] Formats = ["png", "svg", "both"];

    /// <summary>
    /// DejaVu Sans from Debian's fonts-dejavu-core, or the font named by CEPGEO_FONT. SkiaSharp finds no
    /// system font by itself, so without one maps would have no words: that is an input error, said plainly.
    /// </summary>
    public static MapFonts LoadFonts()
    {
        string? custom = Environment.GetEnvironmentVariable(FontVariable);
        string regular = string.IsNullOrEmpty(custom) ? Path.Combine(DejaVuDir, "DejaVuSans.ttf") : custom;
        string bold = string.IsNullOrEmpty(custom) ? Path.Combine(DejaVuDir, "DejaVuSans-Bold.ttf") : custom;
        if (!File.Exists(regular))
            throw new CepGeoInputException(regular, null,
                "no font to letter the maps with: install DejaVu Sans (apt-get install fonts-dejavu-core), "
                + $"or set {FontVariable} to a .ttf/.otf/.woff file, or pass --no-maps to analyze");
        try
        {
            using var r = File.OpenRead(regular);
            using var b = File.Exists(bold) ? File.OpenRead(bold) : null;
            return MapFonts.FromStreams(r, b);
        }
        catch (InvalidDataException e)
        {
            throw new CepGeoInputException(regular, null, e.Message);
        }
    }

    /// <summary>Renders every map of the analysis and report.html; returns the names written.</summary>
    /// <param name="create">Opens an output by relative name.</param>
    /// <param name="mapsPrefix">Folder of the maps relative to report.html ("maps/" or "").</param>
    public static List<string> Write(AnalysisResult result, Func<string, Stream> create, string mapsPrefix, string format,
        MapText text, bool lambert93, bool print, string version, string date)
    {
        using var fonts = LoadFonts();
        var options = new MapOptions(fonts, text, version, date);
        var scene = MapScene.Build(result, lambert93);
        var written = new List<string>();
        var embedded = new List<ReportMap>();
        foreach (var spec in MapRenderer.Plan(result))
        {
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
