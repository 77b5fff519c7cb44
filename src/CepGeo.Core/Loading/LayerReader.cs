using System.Text;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>
/// Opens a layer file and hands it to the reader for its format, chosen by extension. The only
/// code in Loading that opens files (with the GeoPackage reader, as SQLite needs a path).
/// </summary>
public static class LayerReader
{
    /// <summary>The extensions CepGeo reads.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".geojson", ".json", ".shp", ".gpkg"];

    /// <summary>Reads the layer; geometries are 2D and polygonal but not yet repaired (see <c>LayerRepair</c>).</summary>
    /// <exception cref="CepGeoInputException">Missing or unsupported file, or any loading problem, naming the file.</exception>
    public static Layer Read(string path, LayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
            throw new CepGeoInputException(options.Source, null, Directory.Exists(path)
                ? new Phrase($"{path} est un dossier, pas un fichier de couche", $"{path} is a folder, not a layer file")
                : new Phrase($"fichier introuvable : {path}", $"file not found: {path}"));

        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".geojson" or ".json":
                using (var stream = OpenRead(path, options.Source))
                    return GeoJsonLayerReader.Read(stream, options);
            case ".shp":
                return ReadShapefile(path, options);
            case ".gpkg":
                return GeoPackageLayerReader.Read(path, options);
            default:
                throw new CepGeoInputException(options.Source, null, new Phrase(
                    $"type de fichier « {Path.GetExtension(path)} » non pris en charge : CepGeo lit {string.Join(", ", Extensions)}",
                    $"unsupported file type \"{Path.GetExtension(path)}\": CepGeo reads {string.Join(", ", Extensions)}"));
        }
    }

    private static Layer ReadShapefile(string path, LayerOptions options)
    {
        string dbfPath = Sibling(path, ".dbf")
            ?? throw new CepGeoInputException(options.Source, null, new Phrase(
                $"la table attributaire du Shapefile, {Path.ChangeExtension(Path.GetFileName(path), ".dbf")}, manque à côté de lui",
                $"the Shapefile's attribute table {Path.ChangeExtension(Path.GetFileName(path), ".dbf")} is missing beside it"));
        string? prjPath = Sibling(path, ".prj");
        string? cpgPath = Sibling(path, ".cpg");

        using var shp = OpenRead(path, options.Source);
        using var dbf = OpenRead(dbfPath, options.Source);
        using var prj = prjPath is null ? null : OpenRead(prjPath, options.Source);
        var encoding = cpgPath is null ? DbfEncodingWithoutCpg(dbf) : EncodingFromCpg(File.ReadAllText(cpgPath));
        var layer = ShapefileLayerReader.Read(shp, dbf, prj, options, encoding);
        // Guessed, not declared: say so (a .cpg or the header's language driver is the file's own word).
        return cpgPath is null && encoding == TextEncodings.Windows1252
            ? layer with { Report = [.. layer.Report, LoadIssue.ReadAs(Path.GetFileName(dbfPath), "Windows-1252")] }
            : layer;
    }

    /// <summary>
    /// Without a .cpg and without a language driver in the .dbf header (byte 29), the text of the table
    /// says: valid UTF-8 is UTF-8, anything else Windows-1252 (a French Shapefile from ArcGIS or an old
    /// QGIS), instead of U+FFFD for every accent. Null leaves the choice to the header.
    /// </summary>
    private static Encoding? DbfEncodingWithoutCpg(Stream dbf)
    {
        if (!dbf.CanSeek || dbf.Length < 32) return null;
        var bytes = new byte[dbf.Length];
        dbf.ReadExactly(bytes);
        dbf.Position = 0;
        if (bytes[29] != 0) return null;
        return TextEncodings.IsUtf8(bytes.AsSpan(32)) ? new UTF8Encoding(false) : TextEncodings.Windows1252;
    }

    /// <summary>A file next to the .shp with another extension, in either case (.dbf or .DBF).</summary>
    private static string? Sibling(string path, string extension)
    {
        foreach (string candidate in new[] { extension, extension.ToUpperInvariant() })
        {
            string sibling = Path.ChangeExtension(path, candidate);
            if (File.Exists(sibling))
                return sibling;
        }
        return null;
    }

    /// <summary>The encodings a .cpg names in practice; others are left to the .dbf header.</summary>
    private static Encoding? EncodingFromCpg(string cpg) => cpg.Trim().ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" or "65001" => new UTF8Encoding(false),
        "ISO-8859-1" or "ISO88591" or "88591" or "LATIN1" or "28591" => Encoding.Latin1,
        _ => null,
    };

    private static FileStream OpenRead(string path, string source)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CepGeoInputException(source, null, new Phrase($"impossible d'ouvrir {path} : {ex.Message}", $"cannot open {path}: {ex.Message}"), ex);
        }
    }
}
