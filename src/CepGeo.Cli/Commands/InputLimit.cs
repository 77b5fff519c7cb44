using System.Globalization;
using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Refuses, before anything is read, a study whose layer files are too large to hold in memory:
/// a clear message naming the sizes and the limit beats an out-of-memory crash an hour later.
/// </summary>
internal static class InputLimit
{
    /// <summary>Default limit on the layer files of one study, in MiB (<c>--max-input-mb</c> raises it).</summary>
    public const int DefaultMaxMb = 1024;

    private const long Mb = 1L << 20;

    /// <summary>
    /// Throws when the layer files (with a Shapefile's .dbf) total more than <paramref name="maxMb"/> MiB;
    /// else returns their total in bytes. Reads sizes only.
    /// </summary>
    public static long Check(Study study, string studyName, int maxMb)
    {
        foreach (string file in LayerFiles(study))
            CheckKind(file, Path.GetFileName(file));
        var sizes = Sizes(study);
        long total = sizes.Sum(s => s.Bytes);
        if (total <= maxMb * Mb) return total;

        string largest = string.Join(", ", sizes.OrderByDescending(s => s.Bytes).Take(3)
            .Select(s => $"{Path.GetFileName(s.Path)} {Megabytes(s.Bytes)} MB"));
        string limit = maxMb.ToString(CultureInfo.InvariantCulture);
        throw new CepGeoInputException(studyName, null, new Phrase(
            $"les fichiers des couches font {Megabytes(total)} Mo en tout ({largest.Replace(" MB", " Mo", StringComparison.Ordinal)}), plus que la limite de {limit} Mo : "
            + "CepGeo garde chaque couche en mémoire, l'étude a donc été refusée sans être lue ; simplifiez ou découpez les couches, "
            + "ou relevez la limite avec --max-input-mb si la machine a plusieurs fois cette mémoire",
            $"the layer files total {Megabytes(total)} MB ({largest}), over the limit of {limit} MB: "
            + "CepGeo holds every layer in memory, so the study was refused before reading it; simplify or clip the layers, "
            + "or raise the limit with --max-input-mb if this machine has several times that much memory"));
    }

    /// <summary>
    /// Refuses, before anything opens it, what is not a regular file (a FIFO would be waited on
    /// forever, /dev/zero read until memory ends) and a file over <paramref name="maxMb"/> MiB.
    /// A missing path or a folder passes: the reader says so in its own words.
    /// </summary>
    public static void CheckFile(string path, string source, int maxMb = DefaultMaxMb)
    {
        CheckKind(path, source);
        if (!File.Exists(path)) return;
        long bytes = new FileInfo(path).Length;
        if (bytes > maxMb * Mb)
        {
            string size = Megabytes(bytes), limit = maxMb.ToString(CultureInfo.InvariantCulture);
            throw new CepGeoInputException(source, null, new Phrase(
                $"le fichier fait {size} Mo, plus que la limite de {limit} Mo : il n'a pas été lu "
                + "(--max-input-mb relève la limite d'analyze si la machine a plusieurs fois cette mémoire)",
                $"the file is {size} MB, over the limit of {limit} MB: it was not read "
                + "(--max-input-mb raises analyze's limit if this machine has several times that memory)"));
        }
    }

    private static void CheckKind(string path, string source)
    {
        Phrase? kind = FileSystemCalls.KindOf(path) switch
        {
            FileSystemCalls.Kind.Fifo => new Phrase("un tube nommé (FIFO)", "a named pipe (FIFO)"),
            FileSystemCalls.Kind.CharacterDevice or FileSystemCalls.Kind.BlockDevice => new Phrase("un périphérique", "a device"),
            FileSystemCalls.Kind.Socket => new Phrase("une socket", "a socket"),
            FileSystemCalls.Kind.Other => new Phrase("un fichier spécial", "a special file"),
            _ => null,
        };
        if (kind is { } k)
            throw new CepGeoInputException(source, null, new Phrase(
                $"{path} est {k.Fr}, pas un fichier ordinaire : CepGeo ne lit que des fichiers",
                $"{path} is {k.En}, not a regular file: CepGeo reads files only"));
    }

    /// <summary>
    /// The value of a --max-input-mb option: a whole number of MiB above 0, else a parse error
    /// (System.CommandLine turns it into one line and exit code 2).
    /// </summary>
    public static int ParseMaxMb(System.CommandLine.Parsing.ArgumentResult r, ConsoleText text)
    {
        string value = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int mb) && mb > 0)
            return mb;
        r.AddError(text.T($"--max-input-mb attend un nombre entier de mégaoctets plus grand que 0 (par exemple 2048), pas « {value} »",
            $"--max-input-mb takes a whole number of megabytes above 0 (for example 2048), not \"{value}\""));
        return DefaultMaxMb;
    }

    private static List<(string Path, long Bytes)> Sizes(Study study) =>
        LayerFiles(study)
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .Select(p => (Path: p, Bytes: new FileInfo(p).Length))
            .ToList();

    private static string Megabytes(long bytes) => Math.Ceiling(bytes / (double)Mb).ToString("0", CultureInfo.InvariantCulture);

    private static IEnumerable<string> LayerFiles(Study study)
    {
        var paths = new List<string> { study.Cells.Path };
        paths.AddRange(study.Operators.Select(o => o.Path));
        if (study.Weights is not null) paths.Add(study.Weights.Path);
        paths.AddRange(study.SiteOperators.Select(o => o.Sites!.Path));
        foreach (string path in paths)
        {
            yield return path;
            // A Shapefile's attributes live beside it and are read whole as well.
            if (string.Equals(Path.GetExtension(path), ".shp", StringComparison.OrdinalIgnoreCase))
            {
                yield return Path.ChangeExtension(path, ".dbf");
                yield return Path.ChangeExtension(path, ".DBF");
            }
        }
    }
}
