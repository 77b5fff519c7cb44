using CepGeo.Core.Model;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// The console side of the encoding notes (issue 21): one line per file read in an encoding other
/// than UTF-8 ("communes.csv lu en Windows-1252 (pas UTF-8)"), so a planner sees that the accents
/// were read from a guess; the same note is kept in the load report (summary.json's <c>load</c>).
/// </summary>
internal static class EncodingNotes
{
    public static void Print(CliContext context, IEnumerable<LoadIssue> load)
    {
        foreach (var note in load.Where(i => i.Kind == LoadIssueKind.Encoding))
            context.Console.MarkupLine("[yellow]" + Markup.Escape(context.Text.T(note.EncodingLine())) + "[/]");
    }
}
