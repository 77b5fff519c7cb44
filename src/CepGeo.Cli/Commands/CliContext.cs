using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Where a command writes: the process's stdout/stderr, or a test's <see cref="StringWriter"/>s.
/// Commands never touch <see cref="System.Console"/> or <see cref="AnsiConsole"/> directly.
/// </summary>
internal sealed class CliContext
{
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="color">Colour on stderr (the red error line).</param>
    /// <param name="outputColor">Colour and styles on stdout (tables); defaults to <paramref name="color"/>.</param>
    /// <param name="text">The language of what it prints (default French).</param>
    public CliContext(TextWriter output, TextWriter error, bool color, bool? outputColor = null, ConsoleText? text = null)
    {
        Text = text ?? ConsoleText.Fr;
        Output = output;
        Error = error;
        Color = color;
        bool styled = outputColor ?? color;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = styled ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = styled ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            // A live spinner (Busy) only for a person at a terminal: never in a log, a pipe or a test.
            Interactive = styled ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Redirected output (a log, a test) has no width: Spectre would assume 80 columns and
        // fold the summary table into unreadable slivers.
        if (!color) Console.Profile.Width = 160;
    }

    /// <summary>The words, numbers and plurals of the chosen language: every sentence a person reads goes through it.</summary>
    public ConsoleText Text { get; }

    /// <summary>Shorthand for <c>Text.T(fr, en)</c>.</summary>
    public string T(string fr, string en) => Text.T(fr, en);

    /// <summary>Plain standard output, for machine-readable text.</summary>
    public TextWriter Output { get; }

    /// <summary>Plain standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>True when stderr is a terminal that wants colour (not redirected, no <c>NO_COLOR</c>).</summary>
    public bool Color { get; }

    /// <summary>Standard output for people: tables, markup.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// Runs work that may take more than a second under a spinner naming what is being done (Spectre.Console
    /// status); <c>update</c> changes the words. Without a terminal it just runs: logs and tests stay clean.
    /// </summary>
    public T Busy<T>(string status, Func<Action<string>, T> work)
    {
        if (!Console.Profile.Capabilities.Interactive || !Console.Profile.Capabilities.Ansi)
            return work(_ => { });
        T result = default!;
        Console.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(status), ctx =>
        {
            result = work(s => ctx.Status = Markup.Escape(s));
        });
        return result;
    }

    /// <summary>Writes one line to stderr, red when colour is on. Newlines are folded so it stays one line.</summary>
    public void WriteErrorLine(string text)
    {
        string line = text.ReplaceLineEndings(" ");
        Error.WriteLine(Color ? $"\u001b[31m{line}\u001b[0m" : line);
    }
}
