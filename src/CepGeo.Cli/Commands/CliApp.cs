using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// The whole command-line surface, declared here and nowhere else. To add a command: write
/// <c>Commands/XxxCommand.cs</c> with <c>static Command Create(CliContext context)</c> and add it to
/// <see cref="BuildRoot"/>.
/// </summary>
internal static class CliApp
{
    /// <summary>Exit code for a problem with the user's input (<see cref="CepGeoInputException"/>, bad arguments).</summary>
    public const int InputErrorExitCode = 2;

    /// <summary>Exit code for a failure of the machine: disk full, read-only filesystem, permission refused (<see cref="EnvironmentFailure"/>).</summary>
    public const int EnvironmentExitCode = 4;

    /// <summary>Exit code for anything else that went wrong (our bug, the machine).</summary>
    public const int FailureExitCode = 1;

    private const string VerboseName = "--verbose";

    /// <summary>CepGeo's version, without the source revision the SDK appends.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>Runs a command line as a user would, writing to the given writers. Returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // Colour only for a person at a terminal: never in a test's StringWriter, a pipe or a file.
        bool colorWanted = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        bool errorColor = colorWanted && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        bool outputColor = colorWanted && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var text = ConsoleText.Choose(args, Environment.GetEnvironmentVariable(ConsoleText.LangVariable), out string? problem);
        if (text is null)
        {
            error.WriteLine("erreur / error: " + problem);
            return InputErrorExitCode;
        }
        var context = new CliContext(output, error, errorColor, outputColor, text);
        // System.CommandLine's own words (usage, parse errors) come from its satellite resources,
        // looked up by the UI culture of this thread (the build is globalization-invariant, so the
        // culture carries only its name: see PredefinedCulturesOnly in the project).
        var uiCulture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = text.French
            ? System.Globalization.CultureInfo.GetCultureInfo("fr") : System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return Invoke(BuildRoot(context), args, context);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    /// <summary>Every command, in the order <c>--help</c> lists them.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(context.T(
            "CepGeo : comment les territoires de coordination (cellules SPRO) s'alignent sur les zones d'intervention des opérateurs.",
            "CepGeo: how coordination perimeters (SPRO cells) misalign with operator zones."));
        // Built per root: a symbol keeps a list of its parents, so one static option shared by
        // roots built in parallel (tests) would be a race.
        root.Options.Add(new Option<bool>(VerboseName, "-v")
        {
            Description = context.T("Afficher la pile d'appels avec les erreurs", "Print stack traces with errors"),
            Recursive = true,
        });
        var lang = new Option<string?>(ConsoleText.LangOption)
        {
            Description = context.T("Langue de la console, des cartes et du rapport : fr (défaut) ou en ; aussi CEPGEO_LANG",
                "Language of the console, maps and report: fr (default) or en; also CEPGEO_LANG"),
            Recursive = true,
        };
        lang.AcceptOnlyFromAmong(ConsoleText.Languages);
        root.Options.Add(lang);
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintVersionAction();
            option.Description = context.T("Afficher la version", "Show version information");
        }
        foreach (var option in root.Options.OfType<HelpOption>())
            option.Description = context.T("Afficher l'aide et l'usage", "Show help and usage information");
        ShowHelpWhenBare(root);

        root.Subcommands.Add(InitCommand.Create(context));
        root.Subcommands.Add(AnalyzeCommand.Create(context));
        root.Subcommands.Add(InspectCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
        root.Subcommands.Add(Group("design", context.T("Proposer des périmètres qui s'accordent aux opérateurs (nest, snap, balance)",
            "Propose perimeters that fit the operators (nest, snap, balance)"),
            DesignNestCommand.Create(context), DesignSnapCommand.Create(context), DesignBalanceCommand.Create(context)));
        root.Subcommands.Add(Group("plan", context.T("Périmètres dessinés à la main : évaluer un scénario de découpage, ou en commencer un depuis les territoires d'aujourd'hui", "Perimeters drawn by hand: score a plan (communes → perimeters), or start one from today's cells"),
            PlanScoreCommand.Create(context), PlanFromCellsCommand.Create(context)));
        root.Subcommands.Add(RenderCommand.Create(context));
        root.Subcommands.Add(ViewCommand.Create(context));
        root.Subcommands.Add(Group("zones", context.T("Zones d'intervention à partir de listes de communes", "Operator zones from commune lists"),
            ZonesBuildCommand.Create(context)));
        root.Subcommands.Add(Group("demo", context.T("Données de démonstration synthétiques", "Synthetic demo data"),
            DemoGenerateCommand.Create(context)));
        AddFrenchAliases(root);
        AddExamples(root, context.Text);

        return root;
    }

    /// <summary>French names beside the English ones: a French speaker types <c>cepgeo analyse</c>.</summary>
    private static readonly Dictionary<string, string[]> FrenchAliases = new()
    {
        ["analyze"] = ["analyse", "analyser"],
        ["inspect"] = ["inspecter"],
        ["validate"] = ["valider"],
        ["render"] = ["carte", "cartes"],
        ["view"] = ["voir", "visualiser"],
        ["design"] = ["proposer"],
        ["nest"] = ["emboiter", "emboîter"],
        ["snap"] = ["rattacher"],
        ["balance"] = ["equilibrer", "équilibrer"],
        ["build"] = ["construire"],
        ["demo"] = ["démo"],
        ["generate"] = ["generer", "générer"],
        ["init"] = ["initialiser"],
    };

    /// <summary>One example per command, shown by <c>--help</c> under its description.</summary>
    private static readonly Dictionary<string, string> Examples = new()
    {
        ["init"] = "cepgeo init --cells ze2020.geojson --operator ml=missions-locales.geojson --weights communes.geojson --out etude/study.json",
        ["analyze"] = "cepgeo analyse data/paca/study.json --out out/paca",
        ["inspect"] = "cepgeo inspecter ../shared/data/paca/communes.geojson",
        ["validate"] = "cepgeo valider data/paca/study.json",
        ["nest"] = "cepgeo design nest data/paca/study.json --operators ml,bmo",
        ["snap"] = "cepgeo design snap data/paca/study.json --to ml",
        ["balance"] = "cepgeo design balance data/paca/study.json --count 22 --operators ml,bmo --unit-id code",
        ["render"] = "cepgeo carte data/paca/study.json --print",
        ["view"] = "cepgeo voir data/paca/study.json --open",
        ["build"] = "cepgeo zones build --communes communes.geojson --members ml-communes.csv --out ml.geojson --pad-codes",
        ["generate"] = "cepgeo demo generate --out /tmp/demo --seed 42",
        ["from-cells"] = "cepgeo plan from-cells data/paca/study.json --out plan.csv",
        ["score"] = "cepgeo plan score data/paca/study.json --plan plan.csv --out out/plan-aubagne",
    };

    private static void AddExamples(Command command, ConsoleText text)
    {
        foreach (var sub in command.Subcommands)
        {
            if (Examples.TryGetValue(sub.Name, out var example))
                sub.Description += "\n\n" + text.T("Exemple :", "Example:") + "\n  " + example;
            AddExamples(sub, text);
        }
    }

    private static void AddFrenchAliases(Command command)
    {
        foreach (var sub in command.Subcommands)
        {
            if (FrenchAliases.TryGetValue(sub.Name, out var aliases))
                foreach (var alias in aliases) sub.Aliases.Add(alias);
            AddFrenchAliases(sub);
        }
    }

    /// <summary>Parses and invokes; turns exceptions into one clear line and an exit code.</summary>
    public static int Invoke(RootCommand root, string[] args, CliContext context)
    {
        ParseResult parsed = root.Parse(args);
        bool verbose = parsed.GetValue<bool>(VerboseName);

        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
                context.WriteErrorLine(context.Text.ErrorPrefix + HelpText.ParseError(parseError.Message, context.Text));
            context.Error.WriteLine(context.T($"Voir '{CommandPath(parsed)} --help' pour l'usage.", $"Run '{CommandPath(parsed)} --help' for usage."));
            return InputErrorExitCode;
        }

        // Only --help and --version write to this writer (commands write through the context).
        using var helpOutput = HelpText.Wrap(context.Output, context.Text);
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = helpOutput,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                // Our commands are short and synchronous; no Ctrl+C grace period to manage.
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception thrown)
        {
            return Report(Unwrap(thrown), verbose, context);
        }
    }

    private static int Report(Exception exception, bool verbose, CliContext context)
    {
        if (exception is CepGeoInputException input)
        {
            context.WriteErrorLine(context.Text.Error(input));
            if (verbose) context.Error.WriteLine(input.ToString());
            return InputErrorExitCode;
        }
        if (EnvironmentFailure.Describe(exception) is { } problem)
        {
            context.WriteErrorLine($"{context.Text.ErrorPrefix}{context.Text.T(problem)} : {exception.Message}");
            if (verbose) context.Error.WriteLine(exception.ToString());
            return EnvironmentExitCode;
        }

        context.WriteErrorLine($"{context.Text.ErrorPrefix}{exception.GetType().Name}: {exception.Message}");
        if (verbose)
            context.Error.WriteLine(exception.ToString());
        else
            context.Error.WriteLine(context.T("Cela ressemble à un défaut de CepGeo. Relancez avec --verbose pour la pile d'appels.",
                "This looks like a bug in CepGeo. Run again with --verbose for the stack trace."));
        return FailureExitCode;
    }

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };

    /// <summary>A command that only holds subcommands; bare, it prints its help.</summary>
    private static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
            group.Subcommands.Add(subcommand);
        ShowHelpWhenBare(group);
        return group;
    }

    private static void ShowHelpWhenBare(Command command) =>
        command.SetAction(parseResult => new HelpAction().Invoke(parseResult));

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "cepgeo" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string ReadVersion()
    {
        var assembly = typeof(CliApp).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        string version = informational ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"CepGeo {Version}");
            return 0;
        }
    }
}
