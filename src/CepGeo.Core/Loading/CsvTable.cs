using System.Globalization;
using System.Text;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>One data row of a CSV file, with the line it starts on (1-based, the header being line 1).</summary>
public sealed record CsvRow(int Line, string[] Fields);

/// <summary>
/// A small CSV file as operators publish them (commune lists, crosswalks): a header row, then rows.
/// Every value is kept as text, so <c>01001</c> keeps its leading zero and <c>2A004</c> stays a code.
/// </summary>
/// <param name="Source">The file name, used in every message.</param>
/// <param name="Separator"><c>,</c> or <c>;</c>, detected from the header row.</param>
/// <param name="Header">Column names, trimmed.</param>
/// <param name="Rows">Data rows, each with exactly one field per column; blank lines are skipped.</param>
public sealed record CsvTable(string Source, char Separator, IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    /// <summary>
    /// Reads text in the encoding its bytes show (<see cref="TextEncodings"/>: UTF-8 with or without a BOM,
    /// UTF-16, else Windows-1252; <see cref="EncodingName"/> says which). The separator is the one of <c>,</c> and <c>;</c> the header
    /// uses (outside quotes); fields may be quoted with <c>"</c> (doubled inside, line breaks allowed).
    /// </summary>
    /// <exception cref="CepGeoInputException">Empty file, duplicate or empty column names, a row with the wrong
    /// number of fields (naming the line, and saying so when the line uses the other separator), an unclosed quote.</exception>
    public static CsvTable Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        // Lists are small: read whole, then decoded in the encoding their bytes show (Excel saves
        // Windows-1252 or UTF-16 as often as UTF-8).
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        var (text, encoding) = TextEncodings.Decode(bytes);
        using var reader = new StringReader(text);
        var records = new RecordReader(reader, source);

        if (!records.TryNext(out int headerLine, out string rawHeader))
            throw new CepGeoInputException(source, null, new Phrase("le fichier est vide ; une ligne d'en-tête est attendue, ex. commune_code,zone_code",
                "the file is empty; expected a header row such as commune_code,zone_code"));
        char separator = DetectSeparator(rawHeader);
        var header = Split(rawHeader, separator, source, headerLine).Select(h => h.Trim()).ToArray();
        CheckHeader(header, source);

        var rows = new List<CsvRow>();
        while (records.TryNext(out int line, out string raw))
        {
            if (raw.Trim().Length == 0) continue;
            var fields = Split(raw, separator, source, line);
            if (fields.Length != header.Length)
                throw WrongWidth(source, line, raw, fields.Length, header.Length, separator);
            rows.Add(new CsvRow(line, fields));
        }
        return new CsvTable(source, separator, header, rows) { EncodingName = encoding };
    }

    /// <summary>The encoding the file was read in (UTF-8, UTF-16 LE/BE, Windows-1252), for notes.</summary>
    public string EncodingName { get; init; } = "UTF-8";

    /// <summary>The index of a column, or an error listing the columns there are.</summary>
    public int Column(string name, string option)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < Header.Count; i++)
            if (string.Equals(Header[i], name, StringComparison.Ordinal)) return i;
        for (int i = 0; i < Header.Count; i++)
            if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        string columns = string.Join(", ", Header.Select(h => $"\"{h}\""));
        throw new CepGeoInputException(Source, null, new Phrase(
            $"pas de colonne \"{name}\" ({option}) ; les colonnes sont {columns}",
            $"no column \"{name}\" ({option}); the columns are {columns}"));
    }

    private static char DetectSeparator(string header)
    {
        int commas = 0, semicolons = 0;
        bool quoted = false;
        foreach (char c in header)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == ';') semicolons++;
        }
        // French spreadsheets save with ';' (the ',' is their decimal separator).
        return semicolons > commas ? ';' : ',';
    }

    private static void CheckHeader(string[] header, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0 && header.Length > 1)
                throw new CepGeoInputException(source, null, new Phrase($"ligne 1 : la colonne {i + 1} n'a pas de nom", $"line 1: column {i + 1} has no name"));
            if (!seen.Add(header[i]))
                throw new CepGeoInputException(source, null, new Phrase($"ligne 1 : la colonne \"{header[i]}\" est donnée deux fois", $"line 1: column \"{header[i]}\" is given twice"));
        }
    }

    private static CepGeoInputException WrongWidth(string source, int line, string raw, int found, int expected, char separator)
    {
        char other = separator == ',' ? ';' : ',';
        var problem = Split(raw, other, source, line).Length == expected && expected > 1
            ? new Phrase($"la ligne {line} emploie '{other}' comme séparateur mais l'en-tête emploie '{separator}' : enregistrez tout le fichier avec un seul séparateur",
                $"line {line} uses '{other}' as separator but the header uses '{separator}': save the whole file with one separator")
            : new Phrase(string.Create(CultureInfo.InvariantCulture,
                    $"la ligne {line} a {found} champs là où l'en-tête en a {expected} (séparateur '{separator}' ; mettez entre guillemets les champs qui le contiennent)"),
                string.Create(CultureInfo.InvariantCulture,
                    $"line {line} has {found} fields where the header has {expected} (separator '{separator}'; quote fields that contain it)"));
        return new CepGeoInputException(source, null, problem);
    }

    /// <summary>Splits one record; quotes are removed and doubled quotes undone. Unquoted fields are trimmed.</summary>
    private static string[] Split(string record, char separator, string source, int line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < record.Length; i++)
        {
            char c = record[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < record.Length && record[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (c == separator)
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = false;
            }
            else field.Append(c);
        }
        if (quoted)
            throw new CepGeoInputException(source, null, Unclosed(line));
        fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
        return [.. fields];
    }

    /// <summary>Physical lines joined into records while a quote is open.</summary>
    private sealed class RecordReader(TextReader reader, string source)
    {
        private int _line;

        public bool TryNext(out int startLine, out string record)
        {
            string? first = reader.ReadLine();
            startLine = ++_line;
            if (first is null)
            {
                record = "";
                return false;
            }
            if (!OpenQuote(first))
            {
                record = first;
                return true;
            }
            var builder = new StringBuilder(first);
            while (OpenQuote(builder.ToString()))
            {
                string next = reader.ReadLine()
                    ?? throw new CepGeoInputException(source, null, Unclosed(startLine));
                _line++;
                builder.Append('\n').Append(next);
            }
            record = builder.ToString();
            return true;
        }

        private static bool OpenQuote(string text) => text.Count(c => c == '"') % 2 == 1;
    }

    private static Phrase Unclosed(int line) => new($"ligne {line} : un champ entre guillemets n'est jamais fermé (il manque un \")",
        $"line {line}: a quoted field is never closed (a \" is missing)");
}
