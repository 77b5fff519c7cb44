namespace CepGeo.Cli.Commands;

/// <summary>
/// Failures of the machine rather than of CepGeo or of the input: a full disk, a read-only
/// filesystem, a permission refused. They are answered with one line saying what and where and
/// their own exit code (<see cref="CliApp.EnvironmentExitCode"/>), never as a bug.
/// </summary>
internal static class EnvironmentFailure
{
    private const int Eperm = 1, Eio = 5, Eacces = 13, Enfile = 23, Emfile = 24, Efbig = 27, Enospc = 28, Erofs = 30, Edquot = 122;

    /// <summary>The problem in the user's words (French), or null when the exception is not one of the machine's.</summary>
    public static string? Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission refusée",
        IOException io => io.HResult switch
        {
            Enospc => "disque plein",
            Edquot => "quota disque dépassé",
            Erofs => "système de fichiers en lecture seule",
            Eacces or Eperm => "permission refusée",
            Efbig => "fichier trop grand pour ce système de fichiers",
            Emfile or Enfile => "trop de fichiers ouverts",
            Eio => "erreur d'entrée-sortie du disque",
            // Windows: ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL.
            unchecked((int)0x80070027) or unchecked((int)0x80070070) => "disque plein",
            _ => null,
        },
        _ => null,
    };
}
