using System.Text;
using System.Text.RegularExpressions;

namespace CepGeo.Cli.Commands;

/// <summary>
/// System.CommandLine's own words in the console's language, where its French resources stay English:
/// the <c>[default: X]</c> label of <c>--help</c> and the parse errors a newcomer meets first (issue 25).
/// </summary>
internal static partial class HelpText
{
    /// <summary>
    /// Wraps the writer <c>--help</c> prints to. Each default appears once: an option whose description
    /// already states its default (<c>défaut : …</c>, <c>default: …</c>) loses System.CommandLine's label;
    /// otherwise the label is kept, as <c>[défaut : X]</c> in French.
    /// </summary>
    public static TextWriter Wrap(TextWriter inner, ConsoleText text) => new DefaultLabelWriter(inner, text);

    /// <summary>A parse error of System.CommandLine in the console's language (its French resources leave these English).</summary>
    public static string ParseError(string message, ConsoleText text)
    {
        if (!text.French) return message;
        if (RequiredOption().Match(message) is { Success: true } required)
            return $"l'option {required.Groups[1].Value} est obligatoire";
        if (CannotParse().Match(message) is { Success: true } parse)
            return $"{parse.Groups[2].Value} : « {parse.Groups[1].Value} » n'est pas {TypeWord(parse.Groups[3].Value)}";
        if (MissingValue().Match(message) is { Success: true } missing)
            return $"{missing.Groups[1].Value} : valeur manquante";
        if (TooMany().Match(message) is { Success: true } many)
            return $"{many.Groups[1].Value} : une seule valeur attendue";
        return message;
    }

    private static string TypeWord(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.UInt64" or "System.UInt32" => "un nombre entier",
        "System.Double" or "System.Single" or "System.Decimal" => "un nombre",
        "System.Boolean" => "true ou false",
        _ => "une valeur permise",
    };

    [GeneratedRegex(@"^Option '([^']+)' is required\.$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for (?:option|command|argument) '([^']+)' as expected type '([^']+)'\.$")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Required argument missing for (?:option|command): '([^']+)'\.$")]
    private static partial Regex MissingValue();

    [GeneratedRegex(@"^Option '([^']+)' expects a single argument but \d+ were provided\.$")]
    private static partial Regex TooMany();

    [GeneratedRegex(@"\s*\[default: (.*?)\]")]
    private static partial Regex DefaultLabel();

    [GeneratedRegex(@"(?i)\b(default|défaut)\b")]
    private static partial Regex StatesDefault();

    /// <summary>
    /// Rewrites help lines as they are written. An entry of the options table starts with two spaces
    /// and a non-space; its wrapped continuation lines start with more spaces.
    /// </summary>
    private sealed class DefaultLabelWriter(TextWriter inner, ConsoleText text) : TextWriter
    {
        private readonly StringBuilder _line = new();
        private string _entry = "";

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                inner.Write(Rewrite(_line.ToString().TrimEnd('\r')));
                inner.Write('\n');
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (char c in value) Write(c);
        }

        public override void Flush()
        {
            if (_line.Length > 0)
            {
                inner.Write(Rewrite(_line.ToString()));
                _line.Clear();
            }
            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Flush();
            base.Dispose(disposing);
        }

        private string Rewrite(string line)
        {
            bool startsEntry = line.Length > 2 && line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ';
            _entry = startsEntry ? line : _entry + " " + line;
            var label = DefaultLabel().Match(line);
            if (!label.Success) return line;
            string withoutLabel = _entry.Replace(label.Value, "", StringComparison.Ordinal);
            if (StatesDefault().IsMatch(withoutLabel))
                return line.Remove(label.Index, label.Length);
            return text.French
                ? line.Remove(label.Index, label.Length).Insert(label.Index, $" [défaut : {label.Groups[1].Value}]")
                : line;
        }
    }
}
