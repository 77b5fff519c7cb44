using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Loading;

public class CsvTableTests
{
    private static CsvTable Read(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        return CsvTable.Read(new MemoryStream(bytes), "list.csv");
    }

    [Fact]
    public void SemicolonsWithBom_AreDetected_AndTheFirstColumnNameIsClean()
    {
        var t = Read("commune_code;zone_code\r\n01001;A\r\n2A004;B\r\n", bom: true);
        Assert.Equal(';', t.Separator);
        Assert.Equal(["commune_code", "zone_code"], t.Header);
        Assert.Equal(0, t.Column("commune_code", "--member-code"));
        Assert.Equal(["01001", "A"], t.Rows[0].Fields);
        Assert.Equal(["2A004", "B"], t.Rows[1].Fields);
        Assert.Equal(3, t.Rows[1].Line);
    }

    [Fact]
    public void Codes_KeepTheirLeadingZeros()
    {
        var t = Read("code,zone\n01001,0054\n00000,007\n");
        Assert.Equal(',', t.Separator);
        Assert.Equal(["01001", "0054"], t.Rows[0].Fields);
        Assert.Equal(["00000", "007"], t.Rows[1].Fields);
    }

    [Fact]
    public void QuotedFields_HoldSeparatorsQuotesAndLineBreaks()
    {
        var t = Read("code,name\n01001,\"Bourg, \"\"centre\"\"\"\n01002,\"two\nlines\"\n01003,plain\n");
        Assert.Equal("Bourg, \"centre\"", t.Rows[0].Fields[1]);
        Assert.Equal("two\nlines", t.Rows[1].Fields[1]);
        Assert.Equal(5, t.Rows[2].Line); // header 1, rows on 2, 3–4 and 5
    }

    [Fact]
    public void BlankLines_AreSkipped()
    {
        var t = Read("code,zone\n01001,A\n\n01002,B\n\n");
        Assert.Equal(2, t.Rows.Count);
    }

    [Fact]
    public void MixedSeparators_AreAnErrorNamingTheLine()
    {
        var e = Assert.Throws<CepGeoInputException>(() => Read("code,zone,name\n01001,A,x\n01002;B;y\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("';'", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("list.csv:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongFieldCount_IsAnErrorNamingTheLine()
    {
        var e = Assert.Throws<CepGeoInputException>(() => Read("code,zone\n01001,A\n01002,B,extra\n"));
        Assert.Contains("line 3 has 3 fields where the header has 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownColumn_ListsTheColumns()
    {
        var e = Assert.Throws<CepGeoInputException>(() => Read("code,zone\n01001,A\n").Column("insee", "--member-code"));
        Assert.Contains("\"code\", \"zone\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileAndUnclosedQuote_AreErrors()
    {
        Assert.Throws<CepGeoInputException>(() => Read(""));
        var e = Assert.Throws<CepGeoInputException>(() => Read("code,name\n01001,\"open\n"));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }
}
