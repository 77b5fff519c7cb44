using System.CommandLine;
using CepGeo.Cli.Commands;

namespace CepGeo.Tests.Cli;

/// <summary>Runs cepgeo in-process as a user would, capturing what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with an extra command added to the real root (to test error handling).</summary>
    public static CliRun With(Command extra, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, color: false);
        var root = CliApp.BuildRoot(context);
        root.Subcommands.Add(extra);
        int code = CliApp.Invoke(root, args, context);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
