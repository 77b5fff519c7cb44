using CepGeo.Core.Model;
using CepGeo.Core.Rendering;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Every word the console prints, in French (default) or English (<c>--lang en</c> or
/// <c>CEPGEO_LANG=en</c>). Commands write through <see cref="CliContext.Text"/>: <c>T("…", "…")</c>
/// for a sentence used once, a named member here for a word used in several places, <see cref="N"/>
/// for numbers (French form on screen: 587 478 ; 0,837 — files keep the <c>.</c>), <see cref="Count"/>
/// for plurals. Words follow the glossary (../shared/docs/glossary.md); maps and the report use the
/// same number form (<see cref="MapText"/>).
/// </summary>
internal sealed class ConsoleText
{
    /// <summary>Environment variable choosing the language when <c>--lang</c> is not given.</summary>
    public const string LangVariable = "CEPGEO_LANG";

    public const string LangOption = "--lang";

    public static readonly string[] Languages = ["fr", "en"];

    private ConsoleText(bool french) => French = french;

    public static ConsoleText Fr { get; } = new(true);

    public static ConsoleText En { get; } = new(false);

    public bool French { get; }

    public string Lang => French ? "fr" : "en";

    /// <summary>The same language for maps and report.html.</summary>
    public MapText Map => French ? MapText.Fr : MapText.En;

    public string T(string fr, string en) => French ? fr : en;

    public string T(Phrase phrase) => phrase.In(French);

    /// <summary>A number as the reader writes it (decimal comma and grouped thousands in French).</summary>
    public string N(double v, string format = "0.###") => Map.N(v, format);

    /// <summary>A whole number with its thousands grouped: 587 478 (fr), 587,478 (en).</summary>
    public string Int(long n) => Map.N(n, "#,0");

    /// <summary>
    /// "1 périmètre", "2 périmètres", "0 périmètre" (French: singular below 2); "1 perimeter", "0 perimeters".
    /// Give the plural forms only when they are not the singular plus "s".
    /// </summary>
    public string Count(long n, string frOne, string enOne, string? frMany = null, string? enMany = null)
    {
        string word = French ? (n < 2 ? frOne : frMany ?? frOne + "s") : (n == 1 ? enOne : enMany ?? enOne + "s");
        return $"{Int(n)} {word}";
    }

    /// <summary>The one line an input error prints.</summary>
    public string Error(CepGeoInputException e) => ErrorPrefix + e.Describe(French);

    public string ErrorPrefix => T("erreur : ", "error: ");

    /// <summary>
    /// The language of a command line: <c>--lang X</c> / <c>--lang=X</c> if given, else <c>CEPGEO_LANG</c>,
    /// else French. Returns null with a problem when the value is neither fr nor en.
    /// </summary>
    public static ConsoleText? Choose(IReadOnlyList<string> args, string? variable, out string? problem)
    {
        problem = null;
        string? chosen = null, from = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--") break;
            if (args[i] == LangOption && i + 1 < args.Count) (chosen, from) = (args[i + 1], LangOption);
            else if (args[i].StartsWith(LangOption + "=", StringComparison.Ordinal)) (chosen, from) = (args[i][(LangOption.Length + 1)..], LangOption);
        }
        if (chosen is null && !string.IsNullOrWhiteSpace(variable)) (chosen, from) = (variable.Trim(), LangVariable);
        if (chosen is null) return Fr;
        switch (chosen.ToLowerInvariant())
        {
            case "fr": return Fr;
            case "en": return En;
            default:
                problem = $"{from} \"{chosen}\" : langue inconnue, fr ou en / unknown language, fr or en";
                return null;
        }
    }
}
