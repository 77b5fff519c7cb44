using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Loading;

public class StudyReaderTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "cepgeo-no-such-dir", "herault");

    private const string Minimal = """{ "cells": { "path": "cells.geojson" }, "operators": [ { "key": "ml", "path": "ml.geojson" } ] }""";

    private static Study Read(string json, string source = "study.json") =>
        StudyReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), source, Base);

    private static string Problem(string json)
    {
        var e = Assert.Throws<CepGeoInputException>(() => Read(json));
        Assert.Equal("study.json", e.Input);
        Assert.Null(e.Feature);
        return e.Problem;
    }

    private static string In(string path) => Path.GetFullPath(Path.Combine(Base, path));

    [Fact]
    public void Read_SpecExample_ReadsEveryField()
    {
        var study = Read("""
            {
              "name": "Occitanie — Hérault",
              "crs": "auto",
              "sources": "IGN Admin Express 2024, INSEE RP 2021",
              "cells":     { "path": "cells.geojson", "id": "code", "name": "nom", "label": "Cellules SPRO" },
              "operators": [
                { "key": "ml", "label": "Missions locales", "path": "missions_locales.geojson", "id": "id", "name": "nom" },
                { "key": "pe", "label": "Agences Pôle emploi", "path": "agences.geojson", "id": "code", "name": "nom" }
              ],
              "weights":   { "path": "communes.geojson", "value": "population", "label": "Population 2021" },
              "tolerances": { "sliverWidthM": 50, "minAreaKm2": 0.01, "minShare": 0.01, "nestShare": 0.95 }
            }
            """);

        Assert.Equal("Occitanie — Hérault", study.Name);
        Assert.Equal("auto", study.Crs);
        Assert.Equal("IGN Admin Express 2024, INSEE RP 2021", study.Sources);
        Assert.Equal(new LayerSpec("cells", "Cellules SPRO", In("cells.geojson"), "code", "nom"), study.Cells);
        Assert.Equal(
            [
                new LayerSpec("ml", "Missions locales", In("missions_locales.geojson"), "id", "nom"),
                new LayerSpec("pe", "Agences Pôle emploi", In("agences.geojson"), "code", "nom"),
            ],
            study.Operators);
        Assert.Equal(new WeightsSpec(In("communes.geojson"), "population", "Population 2021"), study.Weights);
        Assert.Equal(new Tolerances(50, 0.01, 0.01, 0.95), study.Tolerances);
    }

    [Fact]
    public void Read_Minimal_AppliesDefaults()
    {
        var study = Read(Minimal, "etudes/herault-2024.json");

        Assert.Equal("herault-2024", study.Name);
        Assert.Equal("auto", study.Crs);
        Assert.Null(study.Sources);
        Assert.Equal(new LayerSpec("cells", "cells", In("cells.geojson"), null, null), study.Cells);
        Assert.Equal(new LayerSpec("ml", "ml", In("ml.geojson"), null, null), Assert.Single(study.Operators));
        Assert.Null(study.Weights);
        Assert.Same(Tolerances.Default, study.Tolerances);
    }

    [Fact]
    public void Read_Paths_AreResolvedAgainstTheBaseDirectoryWithoutCheckingTheyExist()
    {
        string absolute = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "elsewhere", "zones.gpkg"));
        var study = Read($$"""
            { "cells": { "path": "../shared/decoupages.gpkg", "table": "cellules" },
              "operators": [ { "key": "cap", "path": {{System.Text.Json.JsonSerializer.Serialize(absolute)}}, "table": "cap_emploi" } ] }
            """);

        Assert.Equal(Path.GetFullPath(Path.Combine(Base, "..", "shared", "decoupages.gpkg")), study.Cells.Path);
        Assert.Equal("cellules", study.Cells.Table);
        Assert.Equal(absolute, study.Operators[0].Path);
        Assert.Equal("cap_emploi", study.Operators[0].Table);
        Assert.False(File.Exists(study.Cells.Path));
    }

    [Fact]
    public void Read_WeightsWithoutLabel_LabelIsTheValueField()
    {
        var study = Read("""{ "cells": { "path": "c.geojson" }, "operators": [ { "key": "ml", "path": "m.geojson" } ], "weights": { "path": "communes.geojson", "value": "pop_16_25" } }""");

        Assert.Equal(new WeightsSpec(In("communes.geojson"), "pop_16_25", "pop_16_25"), study.Weights);
    }

    [Fact]
    public void Read_NullOptionalMembers_AreAbsent()
    {
        var study = Read("""{ "name": null, "crs": null, "cells": { "path": "c.geojson", "id": null }, "operators": [ { "key": "ml", "path": "m.geojson", "label": null } ], "weights": null, "tolerances": null }""");

        Assert.Equal("study", study.Name);
        Assert.Equal("auto", study.Crs);
        Assert.Null(study.Cells.IdField);
        Assert.Equal("ml", study.Operators[0].Label);
        Assert.Null(study.Weights);
        Assert.Same(Tolerances.Default, study.Tolerances);
    }

    [Fact]
    public void Read_CommentsTrailingCommasAndBom_AreAccepted()
    {
        byte[] bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""
            {
              // Cellules SPRO du département
              "cells": { "path": "cells.geojson", },
              "operators": [ { "key": "ml", "path": "ml.geojson" }, ],
            }
            """)).ToArray();

        var study = StudyReader.Read(new MemoryStream(bytes), "study.json", Base);

        Assert.Equal("ml", study.Operators[0].Key);
    }

    [Theory]
    [InlineData("""{ "nmae": "x", "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ] }""", "nmae: unknown key (did you mean \"name\"?)")]
    [InlineData("""{ "cells": { "path": "c", "idd": "code" }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.idd: unknown key (did you mean \"id\"?)")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" }, { "key": "b", "path": "b", "lable": "B" } ] }""", "operators[1].lable: unknown key (did you mean \"label\"?)")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "weights": { "path": "w", "vaule": "pop" } }""", "weights.vaule: unknown key (did you mean \"value\"?)")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "tolerances": { "minshare": 0.02 } }""", "tolerances.minshare: unknown key (did you mean \"minShare\"?)")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "tolerances": { "sliverWidth": 20 } }""", "tolerances.sliverWidth: unknown key (did you mean \"sliverWidthM\"?)")]
    [InlineData("""{ "cells": { "path": "c", "colour": "red" }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.colour: unknown key; expected \"path\", \"id\", \"name\", \"label\", \"table\", \"crs\"")]
    [InlineData("""{ "cells": { "path": "c", "key": "cellules" }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.key: unknown key (the cells layer's key is always \"cells\")")]
    public void Read_UnknownKey_IsNamedWithWhereAndAGuess(string json, string expected)
    {
        Assert.Equal(expected, Problem(json));
    }

    [Theory]
    [InlineData("""{ "operators": [ { "key": "a", "path": "a" } ] }""", "cells: missing")]
    [InlineData("""{ "cells": { "id": "code" }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.path: missing")]
    [InlineData("""{ "cells": { "path": "c" } }""", "operators: missing")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [] }""", "operators: empty")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "path": "a" } ] }""", "operators[0].key: missing")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" }, { "key": "b" } ] }""", "operators[1].path: missing")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "weights": { "path": "w" } }""", "weights.value: missing")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "weights": { "value": "pop" } }""", "weights.path: missing")]
    [InlineData("""{ "cells": { "path": "  " }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.path: empty")]
    public void Read_MissingRequiredField_IsNamed(string json, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Problem(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "cells": "cells.geojson", "operators": [ { "key": "a", "path": "a" } ] }""", "cells: expected an object ({ … }), not a string (\"cells.geojson\")")]
    [InlineData("""{ "cells": { "path": "c" }, "operators": { "key": "a", "path": "a" } }""", "operators: expected an array of layers, not an object")]
    [InlineData("""{ "cells": { "path": 3 }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.path: expected a string, not a number (3)")]
    [InlineData("""[ { "cells": { "path": "c" } } ]""", "the study must be a JSON object ({ … }), not an array")]
    [InlineData("""{ "cells": { "path": "c", "path": "d" }, "operators": [ { "key": "a", "path": "a" } ] }""", "cells.path: given twice")]
    public void Read_WrongType_IsNamed(string json, string expected)
    {
        Assert.Equal(expected, Problem(json));
    }

    [Theory]
    [InlineData("ml", "Missions-Locales", "operators[1].key: \"Missions-Locales\" must be lower-case letters, digits and _ only ([a-z0-9_]+): it prefixes output columns")]
    [InlineData("ml", "pe agences", "operators[1].key: \"pe agences\" must be lower-case letters, digits and _ only ([a-z0-9_]+): it prefixes output columns")]
    [InlineData("ml", "ml", "operators[1].key: duplicate key \"ml\" (already operators[0])")]
    [InlineData("ml", "cells", "operators[1].key: \"cells\" is reserved for the cells layer")]
    public void Read_BadOperatorKey_IsRefused(string first, string second, string expected)
    {
        Assert.Equal(expected, Problem($$"""{ "cells": { "path": "c" }, "operators": [ { "key": "{{first}}", "path": "a" }, { "key": "{{second}}", "path": "b" } ] }"""));
    }

    [Fact]
    public void Read_ValidKeys_WithDigitsAndUnderscores_AreAccepted()
    {
        var study = Read("""{ "cells": { "path": "c" }, "operators": [ { "key": "cap_emploi_34", "path": "a" }, { "key": "ft2024", "path": "b" } ] }""");

        Assert.Equal(["cap_emploi_34", "ft2024"], study.Operators.Select(o => o.Key));
    }

    [Fact]
    public void Read_CommuneListOperator_UnknownKey_IsRefusedWithASuggestion()
    {
        string problem = Problem("""{ "cells": { "path": "c" }, "operators": [ { "key": "cap", "members": "cap_communes.csv", "communes": "c.geojson", "zone": "antenne" } ] }""");

        Assert.StartsWith("operators[0].zone: unknown key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommuneListOperator_ResolvesItsFilesAndDefaults()
    {
        var study = Read("""
            { "cells": { "path": "c" }, "operators": [ { "key": "ml", "label": "Missions locales", "members": "lists/ml.csv",
              "communes": "communes.geojson", "zoneName": "zone_name", "crosswalk": "cw.csv", "fromField": "a", "toField": "b" } ] }
            """);

        var op = Assert.Single(study.Operators);
        var list = Assert.IsType<ZoneListSpec>(op.Members);
        Assert.Equal(Path.GetFullPath(Path.Combine(Base, "lists/ml.csv")), list.MembersPath);
        Assert.Equal(list.MembersPath, op.Path);
        Assert.Equal(Path.GetFullPath(Path.Combine(Base, "communes.geojson")), list.CommunesPath);
        Assert.Equal(("code", "commune_code", "zone_code", "zone_name"), (list.CodeField, list.MemberCode, list.ZoneCode, list.ZoneName));
        Assert.Equal(("a", "b"), (list.FromField, list.ToField));
    }

    [Theory]
    [InlineData("""{ "key": "ml", "members": "m.csv" }""", "operators[0].communes: missing")]
    [InlineData("""{ "key": "ml", "members": "m.csv", "path": "p", "communes": "c" }""", "operators[0]: give either")]
    [InlineData("""{ "key": "ml", "members": "m.csv", "communes": "c", "crosswalk": "x.csv", "fromField": "a" }""", "operators[0].toField: missing")]
    public void Read_CommuneListOperator_Incomplete_SaysWhatIsMissing(string op, string expected)
    {
        string problem = Problem($$"""{ "cells": { "path": "c" }, "operators": [ {{op}} ] }""");

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PartialTolerances_KeepDefaultsForTheRest()
    {
        var study = Read("""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "tolerances": { "sliverWidthM": 20, "nestShare": 0.9 } }""");

        Assert.Equal(Tolerances.Default with { SliverWidthM = 20, NestShare = 0.9 }, study.Tolerances);
    }

    [Theory]
    [InlineData("""{ "sliverWidthM": -1 }""", "tolerances.sliverWidthM: must be 0 or more, not -1")]
    [InlineData("""{ "minAreaKm2": -0.5 }""", "tolerances.minAreaKm2: must be 0 or more, not -0.5")]
    [InlineData("""{ "minShare": 0 }""", "tolerances.minShare: a share must be in (0, 1], not 0")]
    [InlineData("""{ "nestShare": 1.5 }""", "tolerances.nestShare: a share must be in (0, 1], not 1.5")]
    [InlineData("""{ "minShare": 0.5, "nestShare": 0.4 }""", "tolerances.nestShare: 0.4 is below tolerances.minShare (0.5); a nested zone must at least be significant")]
    [InlineData("""{ "nestShare": 0.005 }""", "tolerances.nestShare: 0.005 is below tolerances.minShare (0.01); a nested zone must at least be significant")]
    [InlineData("""{ "minShare": "1%" }""", "tolerances.minShare: expected a number, not a string (\"1%\")")]
    [InlineData("""{ "sliverWidthM": 1e400 }""", "tolerances.sliverWidthM: 1e400 is not a finite number")]
    [InlineData("""{ "sliverWidthM": "NaN" }""", "tolerances.sliverWidthM: expected a number, not a string (\"NaN\")")]
    public void Read_BadTolerance_IsRefused(string tolerances, string expected)
    {
        Assert.Equal(expected, Problem($$"""{ "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ], "tolerances": {{tolerances}} }"""));
    }

    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("AUTO", "auto")]
    [InlineData("EPSG:3035", "EPSG:3035")]
    [InlineData("epsg:2154", "EPSG:2154")]
    [InlineData("LAEA:55.5,-21.1", "LAEA:55.5,-21.1")]
    public void Read_Crs_IsNormalised(string crs, string expected)
    {
        Assert.Equal(expected, Read($$"""{ "crs": "{{crs}}", "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ] }""").Crs);
    }

    [Theory]
    [InlineData("\"lambert93\"", "crs: \"lambert93\" is not a CRS setting")]
    [InlineData("\"EPSG:\"", "crs: \"EPSG:\" is not a CRS setting")]
    [InlineData("\"LAEA:10,95\"", "crs: \"LAEA:10,95\" is not a CRS setting")]
    [InlineData("2154", "crs: expected a string, not a number (2154)")]
    public void Read_BadCrs_IsRefused(string crs, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Problem($$"""{ "crs": {{crs}}, "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ] }"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyName_IsRefused()
    {
        Assert.Equal("name: empty", Problem("""{ "name": "", "cells": { "path": "c" }, "operators": [ { "key": "a", "path": "a" } ] }"""));
    }

    [Fact]
    public void Read_MalformedJson_GivesLineAndPosition()
    {
        // The comma after the cells line is missing; "é" before it must not shift the position.
        string problem = Problem("{\n  \"name\": \"Hérault\",\n  \"cells\": { \"path\": \"c.geojson\" }\n  \"operators\": []\n}");

        Assert.StartsWith("malformed JSON at line 4, position 3: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedJson_PositionCountsCharactersNotBytes()
    {
        // "é" and "—" are 2 and 3 bytes in UTF-8; the stray '}' is the 26th character of line 1 (the 29th byte).
        string problem = Problem("{ \"name\": \"Hérault — \" } }");

        Assert.StartsWith("malformed JSON at line 1, position 26: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_IsMalformedJson()
    {
        Assert.StartsWith("malformed JSON at line 1", Problem(""), StringComparison.Ordinal);
    }
}

/// <summary>The per-layer "crs" key and the allowed-keys list of an operator (issue 25).</summary>
public class StudyLayerCrsTests
{
    [Fact]
    public void LayerCrs_FileWithoutCrs_ReadInTheStudysCrs_Regression()
    {
        // Before: "cells.crs: unknown key", and the file could only be fixed by editing the data.
        string fixture = TestPaths.Fixture("loading", "projected-no-crs.geojson");
        string json = $$"""
            { "cells": { "path": "{{fixture.Replace("\\", "/", StringComparison.Ordinal)}}", "crs": "epsg:2154" },
              "operators": [ { "key": "ml", "path": "ml.geojson", "crs": "EPSG:2154" } ],
              "weights": { "path": "c.geojson", "value": "pop", "crs": "EPSG:3035" } }
            """;
        var study = StudyReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "study.json", Path.GetTempPath());
        Assert.Equal("EPSG:2154", study.Cells.Crs);
        Assert.Equal("EPSG:2154", study.Operators[0].Crs);
        Assert.Equal("EPSG:3035", study.Weights!.Crs);
        var layer = LayerReader.Read(study.Cells.Path, LayerOptions.For(study.Cells) with { IdsOptional = true });
        Assert.Equal("EPSG:2154", layer.Crs.Code);
        Assert.Contains(layer.Report, i => i.Reason.Contains("the study's \"crs\" says EPSG:2154", StringComparison.Ordinal));
    }

    [Fact]
    public void LayerCrs_NotAnEpsgCode_IsAnError()
    {
        var e = Assert.Throws<CepGeoInputException>(() => StudyReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            """{ "cells": { "path": "c.geojson", "crs": "Lambert 93" }, "operators": [ { "key": "ml", "path": "ml.geojson" } ] }""")), "study.json", "/tmp"));
        Assert.Contains("cells.crs: \"Lambert 93\" is not an EPSG code", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorUnknownKey_ErrorListsTheCommuneListKeysToo_Regression()
    {
        var e = Assert.Throws<CepGeoInputException>(() => StudyReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            """{ "cells": { "path": "c.geojson" }, "operators": [ { "key": "ml", "liste": "ml.csv" } ] }""")), "study.json", "/tmp"));
        Assert.Contains("operators[0].liste: unknown key", e.Message, StringComparison.Ordinal);
        Assert.Contains("for a polygon layer", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"members\", \"communes\", \"codeField\", \"memberCode\", \"zoneCode\"", e.Message, StringComparison.Ordinal);
    }
}
