using System.Buffers;
using System.Globalization;
using System.Text;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The rows of a results.xlsx sheet after its heading, written straight into the package as
/// <see cref="ResultsWorkbook"/>'s rewrite spells the cells MiniExcel makes: text inline
/// (<c>t="inlineStr"</c>), numbers in their column's style, booleans as <c>t="b"</c>, empty cells of
/// style 0. MiniExcel writes the sheet's frame (views, columns, heading, filter) from its first row.
/// </summary>
internal static class SheetRows
{
    /// <param name="frame">The rewritten sheet MiniExcel made from the heading and the first row.</param>
    /// <param name="styles">Each column's style for a number (0: none).</param>
    public static void Write(ReadOnlySpan<byte> frame, ResultTables.Table table, int[] styles, Stream target)
    {
        int head = frame.IndexOf("</row>"u8) + "</row>".Length;
        int tail = frame.IndexOf("</sheetData>"u8);
        if (head < "</row>".Length || tail < head)
            throw new InvalidOperationException("MiniExcel's sheet has no heading row or no sheetData: its format changed.");
        target.Write(frame[..head]);

        var output = new ArrayBufferWriter<byte>(1 << 17);
        string[] letters = [.. Enumerable.Range(0, table.Columns.Length).Select(Letters)];
        var unusual = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int r = 1;
        foreach (var row in table.Rows)
        {
            r++;
            output.Write("<row r=\""u8);
            Integer(output, r);
            output.Write("\">"u8);
            for (int i = 0; i < row.Length; i++) Cell(output, letters[i], r, row[i], styles[i], unusual);
            output.Write("</row>"u8);
            if (output.WrittenCount > (1 << 17) - 4096)
            {
                target.Write(output.WrittenSpan);
                output.ResetWrittenCount();
            }
        }
        target.Write(output.WrittenSpan);

        // The filter covers every row, not the first only.
        var rest = frame[tail..];
        int filter = rest.IndexOf("<autoFilter ref=\""u8);
        if (filter < 0)
        {
            target.Write(rest);
            return;
        }
        int from = filter + "<autoFilter ref=\"".Length;
        int to = from + rest[from..].IndexOf((byte)'"');
        target.Write(rest[..from]);
        target.Write(Encoding.ASCII.GetBytes($"A1:{letters[^1]}{r.ToString(CultureInfo.InvariantCulture)}"));
        target.Write(rest[to..]);
    }

    private static void Cell(ArrayBufferWriter<byte> o, string column, int r, object? value, int style, Dictionary<string, byte[]> unusual)
    {
        o.Write("<c r=\""u8);
        Ascii(o, column);
        Integer(o, r);
        switch (value)
        {
            case null:
            case double d when !double.IsFinite(d):
                o.Write("\" s=\"0\"></c>"u8);
                return;
            case string text:
                o.Write("\" t=\"inlineStr\" s=\"2\""u8);
                Text(o, text, unusual);
                return;
            case bool b:
                o.Write(b ? "\" t=\"b\" s=\"2\"><v>1</v></c>"u8 : "\" t=\"b\" s=\"2\"><v>0</v></c>"u8);
                return;
            case double or int or long:
                o.Write("\" s=\""u8);
                Integer(o, style);
                o.Write("\"><v>"u8);
                var span = o.GetSpan(32);
                if (!((IUtf8SpanFormattable)value).TryFormat(span, out int n, default, CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"{value} did not fit 32 bytes.");
                o.Advance(n);
                o.Write("</v></c>"u8);
                return;
            default:
                throw new ArgumentException($"A {value.GetType().Name} has no cell type in results.xlsx.", nameof(value));
        }
    }

    /// <summary>
    /// Text as MiniExcel and the rewrite spell it: plain text (no control character, no surrogate, no
    /// "_x", no space at either end, not empty) with &amp;, &lt;, &gt; escaped; any other is written once by
    /// MiniExcel itself (<see cref="Unusual"/>), which has rules of its own for those (<c>_xD83D_</c> for
    /// a surrogate, <c>xml:space</c> on the cell when a space ends the text, an empty element for "").
    /// </summary>
    /// <param name="value">The table's value (neutralised here, <see cref="SpreadsheetText"/>).</param>
    private static void Text(ArrayBufferWriter<byte> o, string value, Dictionary<string, byte[]> unusual)
    {
        string text = SpreadsheetText.Neutralise(value);
        if (!Plain(text))
        {
            if (!unusual.TryGetValue(value, out var tail)) unusual[value] = tail = Unusual(value);
            o.Write(tail);
            return;
        }
        o.Write("><is><t xml:space=\"preserve\">"u8);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            string? entity = text[i] switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => null };
            if (entity is null) continue;
            Utf8(o, text.AsSpan(start, i - start));
            Ascii(o, entity);
            start = i + 1;
        }
        Utf8(o, text.AsSpan(start));
        o.Write("</t></is></c>"u8);
    }

    private static bool Plain(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < ' ' || c is >= '\uD800' and <= '\uDFFF' or >= '\uFFFE' || c == '_' && i + 1 < text.Length && text[i + 1] is 'x' or 'X') return false;
        }
        return true;
    }

    /// <summary>What follows <c>s="2"</c> in the cell MiniExcel and the rewrite make of the value <paramref name="text"/>.</summary>
    private static byte[] Unusual(string text)
    {
        var table = new ResultTables.Table("zones", ["zone_id"], [ColumnType.Text], [[text]]);
        var package = new MemoryStream();
        ResultsWorkbook.Write(package, [table], 20, rowsByMiniExcel: true);
        package.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(package, System.IO.Compression.ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open(), new UTF8Encoding(false));
        string sheet = reader.ReadToEnd();
        const string cell = "<c r=\"A2\" t=\"inlineStr\" s=\"2\"";
        int from = sheet.IndexOf(cell, StringComparison.Ordinal), to = sheet.IndexOf("</row>", from, StringComparison.Ordinal);
        if (from < 0 || to < 0) throw new InvalidOperationException("MiniExcel wrote a text cell another way: its format changed.");
        return Encoding.UTF8.GetBytes(sheet[(from + cell.Length)..to]);
    }

    private static void Utf8(ArrayBufferWriter<byte> o, ReadOnlySpan<char> text)
    {
        var span = o.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        o.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>A column's letters or an entity. The fixed parts of a cell are UTF-8 literals, copied rather
    /// than narrowed a character at a time here: this loop was a fifth of the workbook's sampled time on
    /// case B (dotnet-trace); the gain did not show above the noise of a machine at load 40.</summary>
    private static void Ascii(ArrayBufferWriter<byte> o, string s)
    {
        var span = o.GetSpan(s.Length);
        for (int i = 0; i < s.Length; i++) span[i] = (byte)s[i];
        o.Advance(s.Length);
    }

    private static void Integer(ArrayBufferWriter<byte> o, int n)
    {
        var span = o.GetSpan(11);
        n.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        o.Advance(written);
    }

    /// <summary>A column's letters: 0 → A, 25 → Z, 26 → AA.</summary>
    internal static string Letters(int column)
    {
        string s = "";
        for (int n = column + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}
