using System.Runtime.InteropServices;

namespace CepGeo.Cli.Commands;

/// <summary>
/// The three system calls .NET does not offer: swapping two folders atomically, a hard link, and the
/// type of a file (regular, FIFO, device) without opening it. Linux only; elsewhere each answers
/// "not available" and the caller takes its portable way.
/// </summary>
internal static partial class FileSystemCalls
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 0x1C;
    private const int Einval = 22, Enosys = 38, Eopnotsupp = 95, Exdev = 18, Eperm = 1;

    /// <summary>What is at a path, for refusing what is not a regular file before opening it.</summary>
    public enum Kind { Unknown, Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Other }

    /// <summary>
    /// Swaps two folders in one step (renameat2 RENAME_EXCHANGE): there is no moment when either name
    /// is missing. False where the system or the filesystem cannot; throws on any other failure.
    /// </summary>
    public static bool Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        int result;
        try
        {
            result = Renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        if (result == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Einval or Enosys or Eopnotsupp) return false;
        throw Failure(errno, b);
    }

    /// <summary>A hard link <paramref name="link"/> to <paramref name="existing"/>; false where links cannot be made (the caller copies).</summary>
    public static bool HardLink(string existing, string link)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        int result;
        try
        {
            result = SysLink(existing, link);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        if (result == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Exdev or Eperm or Eopnotsupp or Enosys) return false;
        throw Failure(errno, link);
    }

    /// <summary>The type of what <paramref name="path"/> names (following symbolic links); Unknown where it cannot be told.</summary>
    public static Kind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return Kind.Unknown;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return Kind.Unknown;
        }
        catch (EntryPointNotFoundException)
        {
            return Kind.Unknown;
        }
        int mode = BitConverter.ToUInt16(buffer, StatxModeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x1000 => Kind.Fifo,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            0xC000 => Kind.Socket,
            _ => Kind.Other,
        };
    }

    private static IOException Failure(int errno, string path) =>
        new($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysLink(string existing, string link);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
