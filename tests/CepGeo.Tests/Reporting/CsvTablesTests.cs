using System.Globalization;
using System.Text;
using CepGeo.Core.Reporting;

namespace CepGeo.Tests.Reporting;

public class CsvTablesTests
{
    [Fact]
    public void Fields_are_written_as_the_spec_says_in_utf8()
    {
        var rows = new List<object?[]>
        {
            new object?[] { "Saint-Étienne, \"centre\"", 0.1 + 0.2, 3, true, null, double.NaN, double.PositiveInfinity, -0.0, 1e-300 },
            new object?[] { "plain", 547366.119283, -2, false, "line\nbreak", 1.0, 12345678901234567.0, double.Epsilon, "" },
        };
        var s = new MemoryStream();
        CsvTables.Write(s, ["a", "b", "c", "d", "e", "f", "g", "h", "i"], rows);
        string expected = "a,b,c,d,e,f,g,h,i\n"
            + "\"Saint-Étienne, \"\"centre\"\"\",0.30000000000000004,3,true,,,,-0.0,1E-300\n"
            + "plain,547366.119283,-2,false,\"line\nbreak\",1.0,12345678901234568.0,5E-324,\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(s.ToArray()));
        // Each number reads back to the same double.
        Assert.Equal(0.1 + 0.2, double.Parse("0.30000000000000004", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Excel_dialect_is_semicolons_bom_and_decimal_comma()
    {
        var rows = new List<object?[]>
        {
            new object?[] { "04049", "Digne; centre", 0.25, 1.0, 7, true, null },
        };
        var s = new MemoryStream();
        CsvTables.Write(s, ["code", "nom", "part", "couverture", "n", "ok", "vide"], rows, CsvDialect.Excel);
        byte[] bytes = s.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("code;nom;part;couverture;n;ok;vide\n04049;\"Digne; centre\";0,25;1,0;7;true;\n", Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public void Csvt_names_the_gdal_type_of_every_column()
    {
        var s = new MemoryStream();
        CsvTables.WriteCsvt(s, CsvTables.ZoneTypes);
        Assert.Equal("\"String\",\"String\",\"String\",\"String\",\"Real\",\"Real\",\"Integer\",\"String\",\"Real\",\"Integer(Boolean)\",\"Real\"\n",
            Encoding.UTF8.GetString(s.ToArray()));
        Assert.Equal(CsvTables.ZoneColumns.Length, CsvTables.ZoneTypes.Length);
        Assert.Equal(CsvTables.CellColumns.Length, CsvTables.CellTypes.Length);
        Assert.Equal(CsvTables.PairColumns.Length, CsvTables.PairTypes.Length);
    }

    [Fact]
    public void Rows_longer_than_the_buffer_are_written_whole()
    {
        string name = new('é', 50_000); // 100,000 bytes in UTF-8
        var s = new MemoryStream();
        CsvTables.Write(s, ["id", "name"], Enumerable.Range(0, 3).Select(i => new object?[] { i, name }));
        var lines = Encoding.UTF8.GetString(s.ToArray()).Split('\n');
        Assert.Equal(["id,name", "0," + name, "1," + name, "2," + name, ""], lines);
    }
}
