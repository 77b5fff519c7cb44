namespace CepGeo.Cli.Commands;

/// <summary>
/// Ctrl+C for commands that write results through an <see cref="OutputFolder"/> (<c>analyze</c>, <c>render</c>):
/// the first Ctrl+C cancels the work at its next check (between steps, before each map and each fiche),
/// the folder is left as it was and the command ends with <see cref="ExitCode"/>; a second Ctrl+C ends the
/// process at once. Commands without a handler (<c>zones build</c>, whose two files are each moved into
/// place whole) are ended by the runtime at once.
/// </summary>
internal static class CtrlC
{
    /// <summary>Exit code of a run stopped by Ctrl+C.</summary>
    public const int ExitCode = 130;

    public static int Run(CliContext context, CancellationToken outer, Func<CancellationToken, int> work)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return work(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            context.WriteErrorLine(context.T("interrompu : aucun résultat écrit, le dossier de sortie est resté tel quel",
                "cancelled: no result was written, the output folder is as it was"));
            return ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }
}
