using CepGeo.Cli.Commands;

return CliApp.Run(args, Console.Out, Console.Error);
