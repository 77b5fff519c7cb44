using System.CommandLine;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Cli;

public sealed class CliAppTests
{
    private static Command Throwing(Exception exception)
    {
        var command = new Command("boom", "throws");
        command.SetAction(int (_) => throw exception);
        return command;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Version_PrintsCepGeoAndTheVersion()
    {
        var run = CliRun.Of("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("CepGeo 0.1.0", run.Out.Trim());
    }

    [Fact]
    public void Help_ListsTheCommandsAndTheVerboseOption()
    {
        var run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("demo", run.Out, StringComparison.Ordinal);
        Assert.Contains("--verbose", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void NoArguments_PrintsHelp()
    {
        var run = CliRun.Of();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Utilisation\u00A0:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SubcommandHelp_ListsItsOptions()
    {
        var run = CliRun.Of("demo", "generate", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--out", run.Out, StringComparison.Ordinal);
        Assert.Contains("--seed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_IsAnInputError_ExitCode2()
    {
        var run = CliRun.Of("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("erreur : ", run.Err, StringComparison.Ordinal);
        Assert.Contains("--help", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadOptionValue_IsAnInputError_ExitCode2()
    {
        var run = CliRun.Of("demo", "generate", "--seed", "minus-one");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("erreur : ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void InputException_IsOneLineWithoutStackTrace_ExitCode2()
    {
        var run = CliRun.With(Throwing(new CepGeoInputException("cells.geojson", "C7", "duplicate id")), "boom");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["erreur : cells.geojson : entité C7 : duplicate id"], Lines(run.Err));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void InputException_WithVerbose_AlsoPrintsTheStackTrace()
    {
        var run = CliRun.With(Throwing(new CepGeoInputException("study.json", null, "no cells")), "boom", "--verbose");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("erreur : study.json : no cells\n", run.Err.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(" at ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherException_ExitCode1_WithAHintToUseVerbose()
    {
        var run = CliRun.With(Throwing(new InvalidOperationException("the mosaic is inconsistent")), "boom");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("erreur : InvalidOperationException: the mosaic is inconsistent", run.Err, StringComparison.Ordinal);
        Assert.Contains("--verbose", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherException_WithVerbose_PrintsTheStackTrace()
    {
        var run = CliRun.With(Throwing(new InvalidOperationException("bug")), "-v", "boom");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(" at ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoGenerate_IntoAFile_IsAnInputError()
    {
        string file = Path.GetTempFileName();
        try
        {
            var run = CliRun.Of("demo", "generate", "--out", file);

            Assert.Equal(2, run.ExitCode);
            Assert.Single(Lines(run.Err));
            Assert.Contains("est un fichier, pas un dossier", run.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
