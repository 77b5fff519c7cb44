using System.Globalization;
using System.Text;
using CepGeo.Core.Model;
using NetTopologySuite;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using NtsFeature = NetTopologySuite.Features.Feature;

namespace CepGeo.Core.Loading;

/// <summary>
/// Reads an Esri Shapefile layer from its .shp, .dbf and optional .prj streams (NTS
/// Esri.Shapefile 1.2 reads from streams, so no path is needed here).
/// </summary>
public static class ShapefileLayerReader
{
    private static readonly Phrase CrsAdvice = new(
        "ajoutez le fichier .prj livré avec le Shapefile (même nom, .prj), ou la clé \"crs\" de la couche dans l'étude, ou reprojetez-le en WGS84",
        "add the .prj file that came with the Shapefile (same name, .prj), or the layer a \"crs\" key in the study, or reproject it to WGS84");

    /// <summary>Reads the layer; geometries are 2D and polygonal but not yet repaired (see <c>LayerRepair</c>).</summary>
    /// <param name="shp">The geometries.</param>
    /// <param name="dbf">The attributes, one record per shape.</param>
    /// <param name="prj">The CRS as WKT; without it coordinates are taken as WGS84 only if they look like longitude/latitude.</param>
    /// <param name="options">Source name and id/name properties; Shapefiles have no feature id, so IdField is needed.</param>
    /// <param name="encoding">Text encoding of the .dbf (from its .cpg); null lets the reader decide from the .dbf header.</param>
    /// <exception cref="CepGeoInputException">Unreadable file or a broken rule of spec §2.</exception>
    public static Layer Read(Stream shp, Stream dbf, Stream? prj, LayerOptions options, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(shp);
        ArgumentNullException.ThrowIfNull(dbf);
        ArgumentNullException.ThrowIfNull(options);
        string source = options.Source;

        var notes = new List<LoadIssue>();
        var crs = ReadPrj(prj, source, notes);
        CheckStructure(shp, source);
        var features = ReadFeatures(shp, dbf, source, encoding);
        return LayerAssembler.Assemble(options, new RawLayer(features, crs, CrsAdvice, notes));
    }

    /// <summary>
    /// Walks the .shp's record headers before the reader does: a damaged file (a run of bytes lost
    /// or added, a length field flipped) sent the reader looping on negative or overlong record
    /// lengths (found by the fuzzer). Every record must lie inside the file, one after the other, and
    /// a polygon's parts and points must fit in its record.
    /// </summary>
    private static void CheckStructure(Stream shp, string source)
    {
        if (!shp.CanSeek) return;
        long start = shp.Position, length = shp.Length - start;
        var header = new byte[100];
        if (length < 100 || shp.Read(header, 0, 100) != 100) return; // the reader says it is not a Shapefile
        long declared = 2L * System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(24));
        if (declared != length)
            throw Damaged(source, $"son en-tête annonce {declared} octets, le fichier en a {length}", $"its header gives a length of {declared} bytes, the file has {length}");
        var record = new byte[52];
        long at = 100;
        int n = 0;
        while (at < length)
        {
            n++;
            shp.Position = start + at;
            int got = shp.Read(record, 0, (int)Math.Min(record.Length, length - at));
            if (got < 12)
                throw Damaged(source, $"l'enregistrement {n} est coupé", $"record {n} is cut short");
            long content = 2L * System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(record.AsSpan(4));
            if (content < 4 || at + 8 + content > length)
                throw Damaged(source, $"l'enregistrement {n} annonce {content} octets, qui ne tiennent pas dans le fichier", $"record {n} gives a length of {content} bytes, which does not fit in the file");
            int type = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(8));
            if (type is 5 or 15 or 25 && content >= 44)
            {
                if (got < 52) throw Damaged(source, $"l'enregistrement {n} est coupé", $"record {n} is cut short");
                long parts = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(44));
                long points = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(48));
                if (parts < 0 || points < 0 || 44 + 4 * parts + 16 * points > content)
                    throw Damaged(source, $"l'enregistrement {n} annonce {parts} parties et {points} points, plus que ses {content} octets", $"record {n} announces {parts} parts and {points} points, more than its {content} bytes hold");
            }
            at += 8 + content;
        }
        shp.Position = start;
    }

    private static CepGeoInputException Damaged(string source, string fr, string en) =>
        new(source, null, new Phrase($"le fichier .shp est abîmé ou tronqué : {fr}", $"the .shp file is damaged or truncated: {en}"));

    private static CrsRef? ReadPrj(Stream? prj, string source, List<LoadIssue> notes)
    {
        if (prj is null)
            return null;
        using var reader = new StreamReader(prj, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        string wkt = reader.ReadToEnd().Trim();
        if (wkt.Length == 0)
            return null;
        string? code = CrsNames.FromWkt(wkt);
        if (code is null)
            notes.Add(new LoadIssue(source, null, LoadIssueKind.Note, "the .prj names no EPSG code CepGeo recognises; its WKT is used as is",
                Words: new Phrase("le .prj ne nomme aucun code EPSG que CepGeo connaisse ; son WKT est pris tel quel",
                    "the .prj names no EPSG code CepGeo recognises; its WKT is used as is")));
        return new CrsRef(code, wkt, Declared: true);
    }

    private static List<RawFeature> ReadFeatures(Stream shp, Stream dbf, string source, Encoding? encoding)
    {
        var options = new ShapefileReaderOptions
        {
            Factory = NtsGeometryServices.Instance.CreateGeometryFactory(),
            // Rings are told apart by containment, not by the orientation rule many writers get
            // wrong; what is still invalid is left to LayerRepair, which reports it.
            GeometryBuilderMode = GeometryBuilderMode.FixInvalidShapes,
        };
        if (encoding is not null)
            options.Encoding = encoding;

        var features = new List<RawFeature>();
        try
        {
            using var reader = Shapefile.OpenRead(shp, dbf, options);
            int record = 0;
            while (reader.Read(out bool deleted, out NtsFeature feature))
            {
                record++;
                if (deleted)
                    continue;
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (string name in feature.Attributes.GetNames())
                    properties[name] = AttributeValues.Normalise(feature.Attributes[name]);
                var (geometry, geometryNotes) = GeometryInspector.Inspect(feature.Geometry);
                features.Add(new RawFeature(
                    "#" + record.ToString(CultureInfo.InvariantCulture), null, properties, geometry, geometryNotes));
            }
        }
        catch (Exception ex) when (ex is ShapefileException or IOException or InvalidDataException or ArgumentException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new CepGeoInputException(source, null, new Phrase($"Shapefile illisible : {ex.Message}", $"not a readable Shapefile: {ex.Message}"), ex);
        }
        return features;
    }
}
