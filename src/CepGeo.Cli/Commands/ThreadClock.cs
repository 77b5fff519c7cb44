using System.Runtime.InteropServices;

namespace CepGeo.Cli.Commands;

/// <summary>
/// The processor time of the calling thread (clock_gettime CLOCK_THREAD_CPUTIME_ID), for --timings of work that runs beside
/// another step: the process's processor time counts both. Linux and macOS; null elsewhere or when the call fails.
/// </summary>
internal static partial class ThreadClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    public static TimeSpan? Now()
    {
        int clock = OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : -1;
        if (clock < 0) return null;
        try
        {
            return ClockGetTime(clock, out var t) == 0 ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
