using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Writing results safely: everything goes to a temporary folder first and is moved into place
/// only when complete, so an error halfway leaves no half-written results; a folder holding files
/// CepGeo did not write is refused unless --force.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    /// <summary>Marks a folder CepGeo created, so a later run may replace its own files there.</summary>
    public const string Marker = ".cepgeo-output";

    private readonly string _target;
    private bool _committed;

    private OutputFolder(string target, string staging)
    {
        _target = target;
        Staging = staging;
    }

    /// <summary>Where to write while working.</summary>
    public string Staging { get; }

    public static OutputFolder Open(string target, bool force)
    {
        string full = Path.GetFullPath(target);
        if (File.Exists(full))
            throw new CepGeoInputException(target, null, new Phrase("est un fichier, pas un dossier", "is a file, not a folder"));
        if (Directory.Exists(full) && !force && !File.Exists(Path.Combine(full, Marker))
            && Directory.EnumerateFileSystemEntries(full).Any())
            throw new CepGeoInputException(target, null, new Phrase(
                "le dossier n'est pas vide et n'a pas été écrit par CepGeo ; choisissez un autre --out ou ajoutez --force",
                "folder is not empty and was not written by CepGeo; choose another --out or add --force"));
        string parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return new OutputFolder(full, staging);
    }

    public Stream Create(string relativePath)
    {
        string path = Path.Combine(Staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A new file in the fresh staging folder: created, never truncated. File.Create truncates,
        // even a new empty file, and ext4 then writes the whole file out as it is closed (its
        // safeguard for files replaced by truncation, auto_da_alloc): 25–35 ms for each GeoJSON
        // report of case B, waited for before the run could end.
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 4096);
    }

    /// <summary>Moves every written file into the target folder (replacing files of the same name only).</summary>
    public string Commit()
    {
        Directory.CreateDirectory(_target);
        foreach (var file in Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories))
        {
            string dest = Path.Combine(_target, Path.GetRelativePath(Staging, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Move(file, dest, overwrite: true);
        }
        File.WriteAllText(Path.Combine(_target, Marker), "Written by CepGeo; it may replace its own files here.\n");
        Directory.Delete(Staging, recursive: true);
        _committed = true;
        return _target;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
            Directory.Delete(Staging, recursive: true);
    }
}
