using System.Globalization;
using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Writing results so that a folder holds wholly the old or wholly the new ones, whatever happens.
/// Everything is written to a staging folder beside the target (same parent, so same filesystem),
/// then the two folders are swapped by renames: on Linux in one atomic exchange (renameat2
/// RENAME_EXCHANGE), elsewhere by moving the old folder aside, the new one into place, and removing
/// the old one. A run that dies between those two renames leaves the target missing and the old
/// folder aside (<c>.NAME.old-PID-GUID</c>): the next run into that folder puts it back before
/// anything else (roll back: a killed run wrote nothing, as after Ctrl+C).
///
/// A lock file beside the target (<c>.NAME.lock</c>, held with an exclusive lock for the whole run)
/// makes a second run into the same folder fail at once with a clear message; whoever holds the lock
/// is the only live writer, so the staging and aside folders it finds (<c>.NAME.tmp-*</c>,
/// <c>.NAME.old-*</c>) are left by dead runs and are removed. On Linux the run removes its lock file
/// as it ends (still holding the lock), so none piles up beside the results or in /tmp; a run that
/// opened the file just before it was removed finds its lock on a file no longer there (/proc/self/fd
/// says "(deleted)") and opens the path again. Elsewhere, and on Linux without /proc, the file stays.
///
/// The marker file lists the files CepGeo wrote. Files in the target that a previous run did not
/// write (the user's own, or everything in a folder given with --force) are carried into the new
/// folder (hard-linked, else copied) unless this run writes a file of the same name; files an
/// earlier run wrote and this one does not (old maps after --no-maps) are gone with the old folder.
/// A folder holding the study's own inputs is refused, --force or not.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    /// <summary>Marks a folder CepGeo created, so a later run may replace its own files there.</summary>
    public const string Marker = ".cepgeo-output";

    private const string MarkerHead = "Written by CepGeo; it may replace its own files here.";
    private const string FilesLine = "files:";

    private readonly string _target;
    private readonly string _name;
    private FileStream? _lock;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private bool _committed;

    private OutputFolder(string target, string staging, FileStream lockFile)
    {
        _target = target;
        _name = Path.GetFileName(target);
        Staging = staging;
        _lock = lockFile;
    }

    /// <summary>Where to write while working.</summary>
    public string Staging { get; }

    /// <summary>
    /// Swap by the atomic exchange where it exists (default); false, or CEPGEO_SWAP=rename in the
    /// environment, swaps by two renames as on other systems (tests of that way).
    /// </summary>
    internal static bool UseExchange { get; set; } = Environment.GetEnvironmentVariable("CEPGEO_SWAP") != "rename";

    /// <summary>For tests: called between the steps of <see cref="Commit"/> with the target and the step's name.</summary>
    internal static Action<string, string>? OnCommitStep { get; set; }

    /// <param name="target">The folder to (re)place.</param>
    /// <param name="force">Also replace a non-empty folder CepGeo did not write (its other files are kept).</param>
    /// <param name="inputs">Files the run reads (the study and its layers): the target may not hold any of them.</param>
    public static OutputFolder Open(string target, bool force, IEnumerable<string>? inputs = null)
    {
        if (string.IsNullOrWhiteSpace(target))
            throw new CepGeoInputException("--out", null, new Phrase("le dossier de sortie est vide : donnez un nom de dossier",
                "the output folder is empty: give a folder name"));
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        string? parent = Path.GetDirectoryName(full);
        if (parent is null || Path.GetFileName(full).Length == 0)
            throw new CepGeoInputException(target, null, new Phrase("la racine du disque ne peut pas être un dossier de sortie : choisissez un sous-dossier",
                "the root of a disk cannot be an output folder: choose a folder inside it"));
        if (File.Exists(full))
            throw new CepGeoInputException(target, null, new Phrase("est un fichier, pas un dossier", "is a file, not a folder"));
        foreach (string input in inputs ?? [])
        {
            string file = Path.GetFullPath(input);
            if (file.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                string rel = Path.GetRelativePath(full, file);
                throw new CepGeoInputException(target, null, new Phrase(
                    $"le dossier de sortie contient une entrée de l'étude ({rel}) : CepGeo remplace ce dossier en entier ; choisissez un autre --out",
                    $"the output folder holds one of the study's inputs ({rel}): CepGeo replaces that folder as a whole; choose another --out"));
            }
        }

        Directory.CreateDirectory(parent);
        string name = Path.GetFileName(full);
        var lockFile = Lock(parent, name, target);
        try
        {
            Recover(parent, name, full);
            if (Directory.Exists(full) && !force && !WrittenByCepGeo(full) && Directory.EnumerateFileSystemEntries(full).Any())
                throw new CepGeoInputException(target, null, new Phrase(
                    "le dossier n'est pas vide et n'a pas été écrit par CepGeo : choisissez un autre --out, ou ajoutez --force (ses autres fichiers sont gardés)",
                    "folder is not empty and was not written by CepGeo; choose another --out or add --force (its other files are kept)"));
            string staging = Path.Combine(parent,
                $".{name}.tmp-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            return new OutputFolder(full, staging, lockFile);
        }
        catch
        {
            Unlock(lockFile);
            throw;
        }
    }

    public Stream Create(string relativePath)
    {
        string path = Path.Combine(Staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _written.Add(relativePath.Replace('\\', '/'));
        // A new file in the fresh staging folder: created, never truncated. File.Create truncates,
        // even a new empty file, and ext4 then writes the whole file out as it is closed (its
        // safeguard for files replaced by truncation, auto_da_alloc): 25–35 ms for each GeoJSON
        // report of case B, waited for before the run could end.
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 4096);
    }

    /// <summary>The staging path of a new file, for writers that need a file rather than a stream (SQLite).</summary>
    public string PathFor(string relativePath)
    {
        string path = Path.Combine(Staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path)) throw new IOException($"{relativePath} was already written");
        _written.Add(relativePath.Replace('\\', '/'));
        return path;
    }

    /// <summary>Puts the new folder in place of the old one, as a whole. Returns the target's full path.</summary>
    public string Commit()
    {
        var written = _written.Order(StringComparer.Ordinal).ToList();
        File.WriteAllText(Path.Combine(Staging, Marker),
            MarkerHead + "\n" + FilesLine + "\n" + string.Concat(written.Select(w => w + "\n")));
        Step("marker");
        if (!Directory.Exists(_target))
        {
            Directory.Move(Staging, _target);
            Step("moved");
        }
        else
        {
            CarryOver(_target, Staging, Owned(_target), _written);
            Step("carried");
            if (UseExchange && FileSystemCalls.Exchange(Staging, _target))
            {
                // The staging name now holds the old folder.
                Step("exchanged");
                Directory.Delete(Staging, recursive: true);
            }
            else
            {
                string aside = Path.Combine(Path.GetDirectoryName(_target)!,
                    $".{_name}.old-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
                Directory.Move(_target, aside);
                Step("aside");
                Directory.Move(Staging, _target);
                Step("moved");
                Directory.Delete(aside, recursive: true);
            }
        }
        Step("done");
        _committed = true;
        Release();
        return _target;
    }

    public void Dispose()
    {
        try
        {
            if (!_committed && Directory.Exists(Staging))
                Directory.Delete(Staging, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next run into this folder, which removes staging folders of dead runs.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        if (_lock is not null) Unlock(_lock);
        _lock = null;
    }

    /// <summary>The lock file removed while the lock is still held (where the next run can tell, see
    /// <see cref="IsUnlinked"/>), then released: a run done, or refused after taking it, leaves none.</summary>
    private static void Unlock(FileStream lockFile)
    {
        if (IsRemovable(lockFile))
        {
            // A run waiting on this file cannot take it before it is gone, and the one that takes it
            // next sees it was removed (Lock).
            try { File.Delete(lockFile.Name); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        lockFile.Dispose();
    }

    private void Step(string name) => OnCommitStep?.Invoke(_target, name);

    /// <summary>True for the names CepGeo uses beside a target for its own work (lock, staging, aside).</summary>
    public static bool IsWorkName(string name) =>
        name == Marker || (name.StartsWith('.') && (name.EndsWith(".lock", StringComparison.Ordinal)
            || name.Contains(".tmp-", StringComparison.Ordinal) || name.Contains(".old-", StringComparison.Ordinal)));

    private static FileStream Lock(string parent, string name, string target)
    {
        string path = Path.Combine(parent, $".{name}.lock");
        for (int attempt = 1; ; attempt++)
        {
            FileStream stream;
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, a share mode on Windows:
                // a second process, or a second open in this one, fails instead of waiting.
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (EnvironmentFailure.Describe(e) is null && (File.Exists(path) || attempt >= 100))
            {
                throw Busy(target, e);
            }
            catch (IOException e) when (EnvironmentFailure.Describe(e) is null)
            {
                // The run that held it removed the file between this open and this lock, as it ended: try the path again.
                continue;
            }
            // The run before removed the file between this open and this lock: the lock is on a file no
            // longer at the path, which the next run would create anew. Open the path again; never keep
            // a lock on a removed file (a new run could then hold the path's).
            if (IsUnlinked(stream))
            {
                stream.Dispose();
                if (attempt >= 100) throw Busy(target, null);
                continue;
            }
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
            return stream;
        }
    }

    private static CepGeoInputException Busy(string target, Exception? inner) => new(target, null, new Phrase(
        "une autre exécution de CepGeo écrit déjà dans ce dossier ; attendez qu'elle finisse ou choisissez un autre --out",
        "another run of CepGeo is writing to this folder; wait for it to finish or choose another --out"), inner);

    /// <summary>What /proc/self/fd says the open file is (Linux), or null where it cannot be told.</summary>
    private static string? OpenFileName(FileStream stream)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture)}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the file <paramref name="stream"/> has open was removed from its folder (Linux).</summary>
    internal static bool IsUnlinked(FileStream stream) => OpenFileName(stream)?.EndsWith(" (deleted)", StringComparison.Ordinal) ?? false;

    /// <summary>A lock file is removed at the end of the run only where the next run can tell (<see cref="IsUnlinked"/>).</summary>
    private static bool IsRemovable(FileStream stream) => OpenFileName(stream) is { } name && !name.EndsWith(" (deleted)", StringComparison.Ordinal);

    /// <summary>
    /// Under the lock: a folder moved aside by a run that died before putting the new one in place is
    /// put back; staging and aside folders of dead runs are removed.
    /// </summary>
    private static void Recover(string parent, string name, string full)
    {
        var leftovers = Directory.EnumerateDirectories(parent, $".{name}.*")
            .Where(d => Path.GetFileName(d) is var n && (n.StartsWith($".{name}.tmp-", StringComparison.Ordinal)
                || n.StartsWith($".{name}.old-", StringComparison.Ordinal)))
            .ToList();
        if (!Directory.Exists(full))
        {
            string? aside = leftovers.Where(d => Path.GetFileName(d).StartsWith($".{name}.old-", StringComparison.Ordinal))
                .OrderByDescending(Directory.GetLastWriteTimeUtc).FirstOrDefault();
            if (aside is not null)
            {
                Directory.Move(aside, full);
                leftovers.Remove(aside);
            }
        }
        foreach (string dir in leftovers)
            Directory.Delete(dir, recursive: true);
    }

    /// <summary>A folder CepGeo wrote: it holds the marker, or its parent's marker lists files in it (analyze's maps/).</summary>
    private static bool WrittenByCepGeo(string folder)
    {
        if (File.Exists(Path.Combine(folder, Marker))) return true;
        string parentMarker = Path.Combine(Path.GetDirectoryName(folder)!, Marker);
        string prefix = Path.GetFileName(folder) + "/";
        return File.Exists(parentMarker)
            && (ReadManifest(parentMarker)?.Any(f => f.StartsWith(prefix, StringComparison.Ordinal)) ?? false);
    }

    /// <summary>The files earlier runs wrote in the folder (relative, '/'), from its marker, its sub-folders' and its parent's.</summary>
    private static HashSet<string> Owned(string folder)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        string parentMarker = Path.Combine(Path.GetDirectoryName(folder)!, Marker);
        string prefix = Path.GetFileName(folder) + "/";
        if (File.Exists(parentMarker))
            foreach (string f in ReadManifest(parentMarker) ?? [])
                if (f.StartsWith(prefix, StringComparison.Ordinal)) owned.Add(f[prefix.Length..]);
        foreach (string marker in Directory.EnumerateFiles(folder, Marker, SearchOption.AllDirectories))
        {
            string dir = Path.GetRelativePath(folder, Path.GetDirectoryName(marker)!).Replace('\\', '/');
            string at = dir == "." ? "" : dir + "/";
            foreach (string f in ReadManifest(marker) ?? [])
                owned.Add(at + f);
        }
        return owned;
    }

    /// <summary>The files a marker lists; null for a marker of an earlier CepGeo that listed none.</summary>
    private static List<string>? ReadManifest(string marker)
    {
        var lines = File.ReadAllLines(marker);
        int at = Array.IndexOf(lines, FilesLine);
        return at < 0 ? null : lines.Skip(at + 1).Where(l => l.Length > 0).ToList();
    }

    /// <summary>Brings the old folder's files that no run of CepGeo wrote into the new folder, unless the new one has that name.</summary>
    private static void CarryOver(string from, string to, HashSet<string> owned, HashSet<string> written)
    {
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (IsWorkName(entry.Name)) continue;
            Carry(entry, entry.Name);
        }

        void Carry(FileSystemInfo entry, string rel)
        {
            string dest = Path.Combine(to, rel);
            if (entry.LinkTarget is { } link)
            {
                if (owned.Contains(rel) || written.Contains(rel) || Path.Exists(dest)) return;
                if (entry is DirectoryInfo) Directory.CreateSymbolicLink(dest, link);
                else File.CreateSymbolicLink(dest, link);
                return;
            }
            if (entry is DirectoryInfo dir)
            {
                if (File.Exists(dest)) return;
                bool created = !Directory.Exists(dest);
                if (created) Directory.CreateDirectory(dest);
                foreach (var child in dir.EnumerateFileSystemInfos())
                    if (child.Name != Marker) Carry(child, rel + "/" + child.Name);
                // An empty folder only the old results had (maps/ of an earlier run) is not brought.
                if (created && !Directory.EnumerateFileSystemEntries(dest).Any() && dir.EnumerateFileSystemInfos().Any())
                    Directory.Delete(dest);
                return;
            }
            if (owned.Contains(rel) || written.Contains(rel) || Path.Exists(dest)) return;
            if (!FileSystemCalls.HardLink(entry.FullName, dest))
                File.Copy(entry.FullName, dest);
        }
    }
}
