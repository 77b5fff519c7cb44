using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;
using NetTopologySuite.Geometries;
using static CepGeo.Tests.Loading.LoadingFixtures;

namespace CepGeo.Tests.Loading;

public class GeoJsonLayerReaderTests
{
    // ---- malformed files -------------------------------------------------------------------

    [Fact]
    public void Read_TruncatedJson_ErrorNamesFileLineAndTruncation()
    {
        var ex = Assert.IsType<MalformedJsonException>(ReadFails("truncated.geojson"));
        Assert.Equal("truncated.geojson", ex.Input);
        Assert.Contains("not valid JSON at line 3", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Read_HtmlInsteadOfJson_ErrorSaysNotValidJsonAtLine1()
    {
        var ex = ReadFails("not-json.geojson");
        Assert.StartsWith("not-json.geojson: not valid JSON at line 1, byte 1", ex.Message);
    }

    [Fact]
    public void Read_JsonArray_ErrorSaysNotGeoJson()
    {
        var ex = ReadFails("json-array.geojson");
        Assert.Contains("not GeoJSON: the file holds an array", ex.Message);
    }

    [Fact]
    public void Read_TopoJson_ErrorNamesItsType()
    {
        var ex = ReadFails("topojson.json");
        Assert.Contains("not a GeoJSON FeatureCollection: \"type\" is \"Topology\"", ex.Message);
    }

    [Fact]
    public void Read_BarePolygon_ErrorAsksForAFeature()
    {
        var ex = ReadFails("bare-polygon.geojson");
        Assert.Contains("bare Polygon geometry, not a FeatureCollection", ex.Message);
    }

    [Fact]
    public void Read_ObjectWithoutType_ErrorSaysNotGeoJson()
    {
        var ex = ReadTextFails("""{"features": []}""");
        Assert.Contains("no \"type\" member", ex.Message);
    }

    [Fact]
    public void Read_FeaturesNotAnArray_Error()
    {
        var ex = ReadTextFails("""{"type": "FeatureCollection", "features": {"a": 1}}""");
        Assert.Contains("\"features\" must be an array, not an object", ex.Message);
    }

    [Fact]
    public void Read_FeatureThatIsNotAnObject_ErrorNamesItsIndex()
    {
        var ex = ReadTextFails($$"""{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {}, "geometry": {{Square}}}, 42]}""");
        Assert.Equal("#2", ex.Feature);
        Assert.Contains("is a number, not a Feature object", ex.Message);
    }

    [Fact]
    public void Read_GeometryInFeaturesArray_ErrorNamesIndexAndType()
    {
        var ex = ReadTextFails($$"""{"type": "FeatureCollection", "features": [{{Square}}]}""");
        Assert.Equal("#1", ex.Feature);
        Assert.Contains("\"type\": \"Polygon\" where a Feature was expected", ex.Message);
    }

    [Fact]
    public void Read_ContentAfterTheCollection_ErrorSaysNotValidJson()
    {
        var ex = ReadTextFails(Collection(null, Square) + "\n{}");
        Assert.Contains("not valid JSON at line 2", ex.Message);
    }

    [Fact]
    public void Read_MalformedPosition_ErrorNamesFeature()
    {
        var ex = ReadTextFails(Collection(null, """{"type": "Polygon", "coordinates": [[[5.0], [5.1, 43.0], [5.0, 43.1], [5.0, 43.0]]]}"""));
        Assert.Equal("#1", ex.Feature);
        Assert.Contains("at least two numbers", ex.Message);
    }

    [Fact]
    public void Read_EmptyFile_ErrorSaysEmpty()
    {
        var ex = ReadTextFails("");
        Assert.Contains("the file is empty", ex.Message);
    }

    [Fact]
    public void Read_NotJsonAtTheStart_StopsWithoutReadingTheRestOfAHugeStream()
    {
        var stream = new CountingStream(Encoding.UTF8.GetBytes("<html>"), totalLength: 500L << 20);
        Assert.Throws<MalformedJsonException>(() => GeoJsonLayerReader.Read(stream, new LayerOptions("huge.geojson", null, null)));
        Assert.True(stream.BytesRead < 4 << 20, $"read {stream.BytesRead} bytes to refuse a file that is not JSON");
    }

    [Fact]
    public void Read_SingleFeature_IsAcceptedAsALayerOfOne()
    {
        var layer = Read("single-feature.geojson", "code", "nom");
        var feature = Assert.Single(layer.Features);
        Assert.Equal("13055", feature.Id);
        Assert.Equal("Marseille", feature.Name);
        Assert.Equal(0.01, feature.Geometry.Area, 12);
    }

    [Fact]
    public void Read_EmptyFeatureCollection_ErrorSaysLayerIsEmpty()
    {
        var ex = ReadFails("empty-collection.geojson");
        Assert.Equal("empty-collection.geojson: no features: the layer is empty", ex.Message);
    }

    // ---- ids and names ---------------------------------------------------------------------

    [Fact]
    public void Read_DuplicateIds_ErrorListsThem()
    {
        var ex = ReadFails("duplicate-ids.geojson", "code");
        Assert.Contains("2 id(s) used more than once (property \"code\")", ex.Message);
        Assert.Contains("\"04001\" ×2 (#1, #3)", ex.Message);
        Assert.Contains("\"04002\" ×2 (#2, #4)", ex.Message);
    }

    [Fact]
    public void Read_ManyDuplicateIds_ListsTenAndCountsTheRest()
    {
        var geometries = Enumerable.Repeat(Square, 30).ToArray();
        string json = Collection(null, geometries).Replace("\"properties\": {}", "\"properties\": {\"k\": 1}");
        // Ids come from a property every feature shares pairwise: 0,0,1,1,…
        int n = 0;
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"k\": 1", _ => $"\"k\": {n++ / 2}");
        var ex = ReadTextFails(json, "k");
        Assert.Contains("15 id(s) used more than once", ex.Message);
        Assert.Contains("and 5 more", ex.Message);
    }

    [Fact]
    public void Read_EmptyIds_ErrorListsTheFeatures()
    {
        var ex = ReadFails("empty-ids.geojson", "code");
        Assert.Contains("2 feature(s) with an empty id (property \"code\"): #2, #3", ex.Message);
    }

    [Fact]
    public void Read_ConfiguredIdPropertyMissing_ErrorNamesFeatureIndexAndProperty()
    {
        var ex = ReadFails("missing-id-property.geojson", "code");
        Assert.Equal("#2", ex.Feature);
        Assert.Contains("has no property \"code\" (the configured id)", ex.Message);
        Assert.Contains("properties found: insee, nom", ex.Message);
    }

    [Fact]
    public void Read_NoIdConfiguredAndNoFeatureId_ErrorNamesLayerAndSuggestsProperties()
    {
        var ex = ReadFails("no-ids.geojson");
        Assert.Null(ex.Feature);
        Assert.StartsWith("no-ids.geojson: the features have no id", ex.Message);
        Assert.Contains("properties found: code, nom", ex.Message);
    }

    [Fact]
    public void Read_NoIdConfigured_UsesGeoJsonFeatureId()
    {
        var layer = ReadText(Collection(null, Square, Square.Replace("5.0", "6.0")));
        Assert.Equal(["a", "b"], layer.Features.Select(f => f.Id));
    }

    [Fact]
    public void Read_NumericAndStringFeatureIds_NormalisedToInvariantStrings()
    {
        var layer = Read("numeric-ids.geojson");
        Assert.Equal(["12", "75056", "13"], layer.Features.Select(f => f.Id));
    }

    [Fact]
    public void Read_NumericIdProperty_NormalisedToInvariantStrings()
    {
        var layer = Read("numeric-ids.geojson", "code");
        Assert.Equal(["4001", "75056", "13.5"], layer.Features.Select(f => f.Id));
    }

    [Fact]
    public void Read_NameField_GivesNames_ElseNameIsTheId()
    {
        Assert.Equal(["Douze", "Paris", "Treize"], Read("numeric-ids.geojson", null, "nom").Features.Select(f => f.Name));
        Assert.Equal(["12", "75056", "13"], Read("numeric-ids.geojson").Features.Select(f => f.Name));
    }

    [Fact]
    public void Read_ConfiguredNamePropertyMissing_ErrorNamesFeatureAndProperty()
    {
        var ex = ReadFails("numeric-ids.geojson", "code", "libelle");
        Assert.Equal("4001 (#1)", ex.Feature);
        Assert.Contains("has no property \"libelle\" (the configured name)", ex.Message);
    }

    [Fact]
    public void Read_IdsOptional_NumbersFeaturesWithoutId()
    {
        using var stream = File.OpenRead(LoadingFixtures.Path("no-ids.geojson"));
        var layer = GeoJsonLayerReader.Read(stream, new LayerOptions("no-ids.geojson", null, null, IdsOptional: true));
        Assert.Equal(["#1", "#2"], layer.Features.Select(f => f.Id));
    }

    // ---- geometry types --------------------------------------------------------------------

    [Fact]
    public void Read_MixedGeometryTypes_KeepsPolygonsAndReportsEachSkip()
    {
        var layer = Read("mixed-types.geojson");
        var feature = Assert.Single(layer.Features);
        Assert.Equal("zone", feature.Id);
        Assert.IsType<MultiPolygon>(feature.Geometry);
        var skipped = layer.Report.Where(i => i.Kind == LoadIssueKind.Skipped).Select(i => (i.FeatureId, i.Reason)).ToList();
        Assert.Equal(
            [
                ("road", "LineString is not a polygon"),
                ("agency", "Point is not a polygon"),
                ("nothing", "no geometry (null)"),
                ("hollow", "empty Polygon"),
                ("circle", "unknown geometry type \"Circle\""),
            ],
            skipped);
        Assert.All(layer.Report, i => Assert.Equal("mixed-types.geojson", i.Layer));
    }

    [Fact]
    public void Read_SkippedFeature_ReportedUnderTheConfiguredId()
    {
        string json = Collection(null, Square, """{"type": "Point", "coordinates": [5.0, 43.0]}""")
            .Replace("\"properties\": {}", "\"properties\": {\"code\": \"C\"}")
            .Replace("\"id\": \"b\", \"properties\": {\"code\": \"C\"}", "\"id\": \"b\", \"properties\": {\"code\": \"D\"}");
        var layer = ReadText(json, "code");
        Assert.Equal(["C"], layer.Features.Select(f => f.Id));
        Assert.Equal("D", Assert.Single(layer.Report).FeatureId);
    }

    [Fact]
    public void Read_OnlyLines_ErrorSaysNoPolygonAndCountsWhy()
    {
        var ex = ReadFails("only-lines.geojson");
        Assert.Contains("no polygon features: all 2 skipped", ex.Message);
        Assert.Contains("1 × LineString is not a polygon", ex.Message);
        Assert.Contains("1 × MultiLineString is not a polygon", ex.Message);
    }

    [Fact]
    public void Read_GeometryCollection_KeepsItsPolygonsAndCountsTheRest()
    {
        var layer = Read("geometry-collection.geojson");
        var feature = Assert.Single(layer.Features);
        Assert.Equal("gc", feature.Id);
        var multi = Assert.IsType<MultiPolygon>(feature.Geometry);
        Assert.Equal(2, multi.NumGeometries);
        var note = Assert.Single(layer.Report, i => i.Kind == LoadIssueKind.Note);
        Assert.Equal("GeometryCollection read as a MultiPolygon of its 2 polygon(s); dropped 1 LineString, 1 Point", note.Reason);
        var skipped = Assert.Single(layer.Report, i => i.Kind == LoadIssueKind.Skipped);
        Assert.Equal(("gc-lines", "GeometryCollection without polygons (1 LineString)"), (skipped.FeatureId, skipped.Reason));

        // The two polygons overlap on a 0.1° × 0.1° strip: the repair step unions them.
        var repaired = LayerRepair.Repair(layer);
        Assert.True(repaired.Features[0].Geometry.IsValid);
        Assert.Equal(0.03, repaired.Features[0].Geometry.Area, 12);
    }

    [Fact]
    public void Read_ThreeDAndMeasuredCoordinates_DroppedTo2DAndSaidOncePerLayer()
    {
        var layer = Read("z-coordinates.geojson");
        Assert.Equal(3, layer.Features.Count);
        Assert.All(layer.Features, f => Assert.All(f.Geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z))));
        var dropped = Assert.Single(layer.Report, i => i.Kind == LoadIssueKind.DroppedZm);
        Assert.Null(dropped.FeatureId);
        Assert.Equal("Z and M (measure) values dropped on 2 feature(s): CepGeo works in 2D", dropped.Reason);
    }

    [Fact]
    public void Read_NaNLiteral_ErrorNamesFeatureAndExplains()
    {
        var ex = ReadFails("nan-literal.geojson");
        Assert.Equal("#2", ex.Feature);
        Assert.Contains("NaN and Infinity are not JSON numbers", ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    [Fact]
    public void Read_AbsurdlyLargeCoordinate_ErrorNamesFeature()
    {
        var ex = ReadFails("non-finite.geojson");
        Assert.Equal("sentinel (#2)", ex.Feature);
        Assert.Contains("coordinate 1e308 is not a finite number", ex.Message);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e309")]
    public void Read_CoordinateBeyondDoubleRange_ErrorNamesFeature(string number)
    {
        var ex = ReadTextFails(Collection(null, $$"""{"type": "Polygon", "coordinates": [[[5.0,43.0],[{{number}},43.0],[5.1,43.1],[5.0,43.0]]]}"""));
        Assert.Equal("a (#1)", ex.Feature);
        Assert.Contains($"coordinate {number} is not a finite number", ex.Message);
    }

    [Fact]
    public void Read_QuotedNaN_ErrorNamesFeature()
    {
        var ex = ReadFails("nan-string.geojson");
        Assert.Equal("quoted (#1)", ex.Feature);
        Assert.Contains("coordinate \"NaN\" is not a finite number", ex.Message);
    }

    [Fact]
    public void Read_UnclosedRing_IsClosedAndListedAsRepaired()
    {
        var layer = Read("unclosed-ring.geojson");
        var polygon = Assert.IsType<Polygon>(Assert.Single(layer.Features).Geometry);
        Assert.True(polygon.Shell.IsClosed);
        Assert.Equal(5, polygon.Shell.NumPoints);
        var repair = Assert.Single(layer.Report);
        Assert.Equal(("open", LoadIssueKind.Repaired), (repair.FeatureId, repair.Kind));
        Assert.Contains("not closed", repair.Reason);
        Assert.Equal(0.01, repair.AreaBefore!.Value, 12);
        Assert.Equal(0.01, repair.AreaAfter!.Value, 12);
    }

    [Fact]
    public void Read_RingOfTwoPoints_DroppedAndListed()
    {
        var layer = ReadText(Collection(null, Square, """{"type": "Polygon", "coordinates": [[[5.0,43.0],[5.1,43.0],[5.0,43.0]]]}"""));
        Assert.Single(layer.Features);
        Assert.Contains(layer.Report, i => i is { FeatureId: "b", Kind: LoadIssueKind.Skipped, Reason: "empty Polygon" });
    }

    [Fact]
    public void Read_TypeWrittenAfterCoordinates_StillRead()
    {
        var layer = ReadText(Collection(null, """{"coordinates": [[[5.0,43.0],[5.1,43.0],[5.1,43.1],[5.0,43.0]]], "type": "Polygon"}"""));
        Assert.Equal(0.005, layer.Features[0].Geometry.Area, 12);
    }

    // ---- attributes ------------------------------------------------------------------------

    [Fact]
    public void Read_Properties_NormalisedToDoubleStringBoolNull()
    {
        var attributes = Read("properties-types.geojson").Features[0].Attributes;
        Assert.Equal(1399.0, Assert.IsType<double>(attributes["population"]));
        Assert.Equal(0.25, Assert.IsType<double>(attributes["share"]));
        Assert.Equal("1e400", attributes["big"]);
        Assert.Equal(true, attributes["active"]);
        Assert.Null(attributes["note"]);
        Assert.Equal("Aiglun", attributes["nom"]);
        Assert.Equal("""["x", 1]""", attributes["tags"]);
        Assert.Equal("""{"k": "v"}""", attributes["meta"]);
    }

    // ---- encodings -------------------------------------------------------------------------

    [Fact]
    public void Read_Utf8Bom_IsAccepted()
    {
        var layer = Read("utf8-bom.geojson", null, "nom");
        Assert.Equal("Orléans-Saint-Étienne", layer.Features[0].Name);
        Assert.Empty(layer.Report);
    }

    [Theory]
    [InlineData("utf16le-bom.geojson", "UTF-16 LE")]
    [InlineData("utf16be-bom.geojson", "UTF-16 BE")]
    public void Read_Utf16_IsDecodedAndNoted(string file, string encoding)
    {
        var layer = Read(file, null, "nom");
        Assert.Equal("Orléans-Saint-Étienne", layer.Features[0].Name);
        var note = Assert.Single(layer.Report);
        Assert.Equal(LoadIssueKind.Note, note.Kind);
        Assert.Contains(encoding, note.Reason);
    }

    [Fact]
    public void Read_Utf16WithoutBom_IsDecoded()
    {
        var bytes = Encoding.Unicode.GetBytes(Collection(null, Square));
        using var stream = new MemoryStream(bytes);
        var layer = GeoJsonLayerReader.Read(stream, new LayerOptions("nobom.geojson", null, null));
        Assert.Single(layer.Features);
    }

    [Fact]
    public void Read_Latin1_ErrorSaysNotUtf8()
    {
        var ex = ReadFails("latin1.geojson", null, "nom");
        Assert.Contains("not valid UTF-8", ex.Message);
        Assert.Contains("Latin-1", ex.Message);
    }

    /// <summary>A stream of a given length that starts with some bytes, then spaces; counts what is read.</summary>
    private sealed class CountingStream(byte[] head, long totalLength) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => totalLength;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, totalLength - BytesRead);
            for (int i = 0; i < n; i++)
                buffer[offset + i] = BytesRead + i < head.Length ? head[BytesRead + i] : (byte)' ';
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
