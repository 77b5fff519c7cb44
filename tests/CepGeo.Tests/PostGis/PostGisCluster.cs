using System.Diagnostics;
using System.Globalization;

namespace CepGeo.Tests.PostGis;

/// <summary>
/// A private PostgreSQL + PostGIS cluster for the tests: initdb in a temporary folder, listening on a
/// Unix socket there only (no TCP), trust authentication, stopped and deleted afterwards — as the
/// benchmark's compare.sh does. Run as the <c>postgres</c> user when the tests run as root (initdb
/// refuses root). Needs Debian's postgresql-15-postgis-3 (installed by .ci/run).
/// </summary>
public sealed class PostGisCluster : IDisposable
{
    public const string Bin = "/usr/lib/postgresql/15/bin";
    private const string Database = "cepgeo";
    private readonly string _dir;
    private readonly bool _asPostgres = Environment.UserName == "root";
    private readonly bool _started;

    public PostGisCluster()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")) || !File.Exists("/usr/share/postgresql/15/extension/postgis.control"))
            throw new InvalidOperationException(
                "PostgreSQL 15 with PostGIS 3 is not installed (Debian package postgresql-15-postgis-3; .ci/run installs it)");
        _dir = Directory.CreateTempSubdirectory("cepgeo-pg-").FullName;
        Port = 20000 + Random.Shared.Next(20000);
        if (_asPostgres) Run("chown", "postgres", _dir);
        Pg("initdb", "-D", Path.Combine(_dir, "data"), "--auth=trust", "-U", User, "-E", "UTF8", "--locale=C.UTF-8");
        Pg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-o",
            $"-k {_dir} -p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses='' -c fsync=off -c synchronous_commit=off", "start");
        _started = true;
        Psql("postgres", $"CREATE DATABASE {Database}");
        Psql(Database, "CREATE EXTENSION postgis; CREATE SCHEMA ref");
    }

    public int Port { get; }

    public string User => _asPostgres ? "postgres" : Environment.UserName;

    /// <summary>The connection in Npgsql keyword form (Host is the socket's folder).</summary>
    public string Connection => $"Host={_dir};Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={Database}";

    /// <summary>The same connection as a libpq URI.</summary>
    public string Uri => $"postgresql://{User}@/{Database}?host={_dir}&port={Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>GDAL's PG: data source name, for ogr2ogr.</summary>
    public string Ogr => $"PG:host={_dir} port={Port.ToString(CultureInfo.InvariantCulture)} user={User} dbname={Database}";

    /// <summary>Runs SQL with psql, returns its unaligned output (fields separated by |).</summary>
    public string Psql(string sql) => Psql(Database, sql);

    private string Psql(string database, string sql) =>
        Run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", _dir, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database, "-c", sql);

    private string Pg(string bin, params string[] args) =>
        _asPostgres ? Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, bin), .. args]) : Run(Path.Combine(Bin, bin), args);

    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            if (_started) Pg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
