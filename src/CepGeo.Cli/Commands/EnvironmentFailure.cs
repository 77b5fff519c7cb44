using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Failures of the machine rather than of CepGeo or of the input: a full disk, a read-only
/// filesystem, a permission refused. They are answered with one line saying what and where and
/// their own exit code (<see cref="CliApp.EnvironmentExitCode"/>), never as a bug.
/// </summary>
internal static class EnvironmentFailure
{
    private const int Eperm = 1, Eio = 5, Eacces = 13, Enfile = 23, Emfile = 24, Efbig = 27, Enospc = 28, Erofs = 30, Edquot = 122;

    private static readonly Phrase DiskFull = new("disque plein", "disk full");
    private static readonly Phrase Permission = new("permission refusée", "permission denied");

    /// <summary>The problem in the user's words, or null when the exception is not one of the machine's.</summary>
    public static Phrase? Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => Permission,
        IOException io => io.HResult switch
        {
            Enospc => DiskFull,
            Edquot => new Phrase("quota disque dépassé", "disk quota exceeded"),
            Erofs => new Phrase("système de fichiers en lecture seule", "read-only file system"),
            Eacces or Eperm => Permission,
            Efbig => new Phrase("fichier trop grand pour ce système de fichiers", "file too large for this file system"),
            Emfile or Enfile => new Phrase("trop de fichiers ouverts", "too many open files"),
            Eio => new Phrase("erreur d'entrée-sortie du disque", "disk input/output error"),
            // Windows: ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL.
            unchecked((int)0x80070027) or unchecked((int)0x80070070) => DiskFull,
            _ => null,
        },
        _ => null,
    };
}
