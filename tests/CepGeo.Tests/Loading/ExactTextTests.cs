using System.Text;
using CepGeo.Core.Loading;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO;
using NtsFeature = NetTopologySuite.Features.Feature;

namespace CepGeo.Tests.Loading;

/// <summary>Ids kept as their exact text beyond 2^53, and text files read in their own encoding, never with U+FFFD.</summary>
public sealed class ExactTextTests
{
    private const string Square = """{"type": "Polygon", "coordinates": [[[5.0,43.0],[5.1,43.0],[5.1,43.1],[5.0,43.1],[5.0,43.0]]]}""";

    [Fact]
    public void GeoJsonIds_Beyond2To53_AreKeptExactly_AndTwentyDigitIdsStayDistinct()
    {
        string json = $$"""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 12345678901234567890, "properties": {"code": 9007199254740993, "pop": 12.5}, "geometry": {{Square}}},
            {"type": "Feature", "id": 12345678901234567891, "properties": {"code": 9007199254740992, "pop": 3}, "geometry": {{Square}}}
            ]}
            """;

        var byMember = GeoJsonLayerReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), new LayerOptions("big.geojson", null, null));
        var byField = GeoJsonLayerReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), new LayerOptions("big.geojson", "code", null));

        Assert.Equal(["12345678901234567890", "12345678901234567891"], byMember.Features.Select(f => f.Id));
        Assert.Equal(["9007199254740993", "9007199254740992"], byField.Features.Select(f => f.Id));
        // Ordinary numbers stay numbers (weights).
        Assert.Equal(12.5, Assert.IsType<double>(byField.Features[0].Attributes["pop"]));
    }

    [Theory]
    [InlineData(9007199254740993L, "9007199254740993")]
    [InlineData(-9007199254740993L, "-9007199254740993")]
    [InlineData(9007199254740992L, 9007199254740992.0)]
    [InlineData(75056L, 75056.0)]
    public void DbfAndGeoPackageIntegers_Beyond2To53_AreTheirExactText(long value, object expected)
    {
        Assert.Equal(expected, AttributeValues.Normalise(value));
        Assert.Equal(expected, AttributeValues.Normalise((decimal)value));
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), AttributeValues.AsId(AttributeValues.Normalise(value)));
    }

    public static TheoryData<string, byte[]> Encoded => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes("code;nom\n13001;Aix-en-Provence é\n") },
        { "UTF-8", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("code;nom\n13001;Aix-en-Provence é\n")] },
        { "UTF-16 LE", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("code;nom\n13001;Aix-en-Provence é\n")] },
        { "UTF-16 BE", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("code;nom\n13001;Aix-en-Provence é\n")] },
        { "UTF-16 LE", Encoding.Unicode.GetBytes("code;nom\n13001;Aix-en-Provence é\n") },
        { "Windows-1252", TextEncodings.Windows1252.GetBytes("code;nom\n13001;Aix-en-Provence é\n") },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void CsvList_IsReadInItsOwnEncoding_AndSaysWhich(string encoding, byte[] bytes)
    {
        var table = CsvTable.Read(new MemoryStream(bytes), "communes.csv");

        Assert.Equal(["code", "nom"], table.Header);
        Assert.Equal("Aix-en-Provence é", table.Rows.Single().Fields[1]);
        Assert.Equal(encoding, table.EncodingName);
    }

    [Fact]
    public void StudyFile_InWindows1252OrUtf16_IsReadWithItsAccents()
    {
        const string study = """{ "name": "Étude à Nîmes", "cells": { "path": "cells.geojson" }, "operators": [ { "key": "ml", "label": "Missions locales", "path": "ml.geojson" } ] }""";
        foreach (var bytes in new[] { TextEncodings.Windows1252.GetBytes(study), [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(study)] })
        {
            var read = StudyReader.Read(new MemoryStream(bytes), "study.json", "/tmp");
            Assert.Equal("Étude à Nîmes", read.Name);
        }
    }

    [Fact]
    public void DbfWithoutCpg_InWindows1252_KeepsItsAccents()
    {
        using var dir = new TempDirectory();
        string shp = dir.File("zones.shp");
        var features = new[]
        {
            new NtsFeature(new WKTReader().Read("POLYGON ((5 43, 5 43.1, 5.1 43.1, 5.1 43, 5 43))"),
                new AttributesTable { { "code", "a" }, { "nom", "Aix-en-Provence XX" } }),
        };
        Shapefile.WriteAllFeatures(features, shp);
        string dbf = Path.ChangeExtension(shp, ".dbf");
        File.Delete(Path.ChangeExtension(shp, ".cpg"));
        // "XX" becomes "é " in Windows-1252 (0xE9): not valid UTF-8; no language driver in the header.
        byte[] bytes = File.ReadAllBytes(dbf);
        int at = bytes.AsSpan().IndexOf("XX"u8);
        bytes[at] = 0xE9;
        bytes[at + 1] = (byte)' ';
        bytes[29] = 0;
        File.WriteAllBytes(dbf, bytes);

        var layer = LayerReader.Read(shp, new LayerOptions("zones.shp", "code", "nom"));

        Assert.Equal("Aix-en-Provence é", layer.Features.Single().Name);
        // Guessed, so said: one note in the load report naming the .dbf and the encoding.
        var note = Assert.Single(layer.Report, i => i.Kind == CepGeo.Core.Model.LoadIssueKind.Encoding);
        Assert.Equal("zones.dbf", note.Layer);
        Assert.Equal("zones.dbf lu en Windows-1252 (pas UTF-8)", note.EncodingLine().Fr);
        Assert.Equal("zones.dbf read as Windows-1252 (not UTF-8)", note.EncodingLine().En);
    }
}
