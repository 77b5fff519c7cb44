using System.Diagnostics;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;
using Xunit.Abstractions;

namespace CepGeo.Tests.Cli;

/// <summary>
/// A full disk and a read-only filesystem under the output folder (a 2 MB tmpfs, mounted when the
/// tests run as root on Linux; otherwise the test says so and checks nothing): one line naming the
/// problem and the place, exit code 4, never "a bug", and the previous results byte-identical.
/// </summary>
[Collection(OutputFolderCollection.Name)]
public sealed class EnvironmentFailureTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string DemoStudy = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    private static bool Sh(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The program in a process of its own (French, as a user's console by default): exit code and standard error.</summary>
    private static (int ExitCode, string Err) Program(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "cepgeo.exe" : "cepgeo"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment.Remove("CEPGEO_LANG");
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.Wait();
        return (p.ExitCode, err);
    }

    [Fact]
    public void FullDiskThenReadOnlyDisk_ExitFourWithOneLine_AndThePreviousResultsAreByteIdentical()
    {
        string mount = _dir.File("disk");
        Directory.CreateDirectory(mount);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !Sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount))
        {
            log.WriteLine("skipped: a small filesystem needs root and mount (tmpfs) on Linux");
            return;
        }
        try
        {
            string tiny = OutputFolderTests.TinyStudy(_dir.File("tiny"));
            string outDir = Path.Combine(mount, "out");
            Assert.Equal(0, CliRun.Of("analyze", tiny, "--out", outDir, "--no-maps").ExitCode);
            var old = OutputFolderTests.Snapshot(outDir);
            // Fill what is left; the demo's tables alone are several hundred KB.
            using (var filler = new FileStream(Path.Combine(mount, "filler"), FileMode.CreateNew))
            {
                var block = new byte[64 * 1024];
                try
                {
                    while (true) filler.Write(block);
                }
                catch (IOException)
                {
                    // Full.
                }
                filler.SetLength(filler.Length - 48 * 1024); // room for the lock file and a little of the staging
            }

            // The failing runs are real processes, as a user's are: a stream left open by a failed
            // flush dies with the process, instead of keeping the filesystem busy for the remount.
            var full = Program("analyze", DemoStudy, "--out", outDir, "--no-maps");

            Assert.Equal(CliApp.EnvironmentExitCode, full.ExitCode);
            Assert.Contains("disque plein", full.Err, StringComparison.Ordinal);
            Assert.Contains(mount, full.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("bug", full.Err, StringComparison.Ordinal);
            Assert.Single(full.Err.Trim().Split('\n'));
            OutputFolderTests.AssertSame(old, outDir);
            // Nothing else beside the results: no staging folder, and the failed run removed its lock file.
            Assert.Equal(["filler", "out"], Directory.EnumerateFileSystemEntries(mount).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            File.Delete(Path.Combine(mount, "filler"));
            // Linux refuses a read-only remount while a file on the filesystem is open for writing
            // (EBUSY); nothing is, now that the failed run has exited.
            Assert.True(Sh("mount", "-o", "remount,ro", mount), "remount read-only");
            var readOnly = Program("analyze", DemoStudy, "--out", outDir, "--no-maps");

            Assert.Equal(CliApp.EnvironmentExitCode, readOnly.ExitCode);
            Assert.Contains("lecture seule", readOnly.Err, StringComparison.Ordinal);
            Assert.Contains(mount, readOnly.Err, StringComparison.Ordinal);
            Assert.Single(readOnly.Err.Trim().Split('\n'));
            OutputFolderTests.AssertSame(old, outDir);
        }
        finally
        {
            Sh("umount", mount);
        }
    }
}
