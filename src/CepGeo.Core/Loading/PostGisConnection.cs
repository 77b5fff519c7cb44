using Npgsql;

namespace CepGeo.Core.Loading;

/// <summary>
/// A PostgreSQL connection as a study or the command line gives it: Npgsql keyword form
/// (<c>Host=localhost;Database=sig;Username=planif</c>) or a libpq URI
/// (<c>postgresql://planif@localhost:5432/sig?sslmode=require</c>, <c>postgresql:///sig?host=/run/postgresql</c>).
/// </summary>
public static class PostGisConnection
{
    /// <summary>The Npgsql connection string of either form.</summary>
    /// <exception cref="ArgumentException">The text is neither form.</exception>
    public static string ToNpgsql(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = connection.Trim();
        if (!IsUri(text))
        {
            // Validates the keywords (an unknown one is an error naming it).
            return new NpgsqlConnectionStringBuilder(text).ConnectionString;
        }
        var b = new NpgsqlConnectionStringBuilder();
        string rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string query = "";
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string authority = slash >= 0 ? rest[..slash] : rest;
        string database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string user = authority[..at];
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(user[(colon + 1)..]);
                user = user[..colon];
            }
            b.Username = Uri.UnescapeDataString(user);
            authority = authority[(at + 1)..];
        }
        if (authority.Length > 0)
        {
            // host, host:port, [v6]:port
            int portColon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
            if (portColon > 0)
            {
                b.Port = int.Parse(authority[(portColon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                authority = authority[..portColon];
            }
            b.Host = Uri.UnescapeDataString(authority.Trim('[', ']'));
        }
        if (database.Length > 0) b.Database = database;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "host": b.Host = value; break;
                case "port": b.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "user": b.Username = value; break;
                case "dbname": b.Database = value; break;
                case "password": b.Password = value; break;
                case "sslmode": b["SSL Mode"] = value; break;
                case "application_name": b.ApplicationName = value; break;
                case "connect_timeout": b.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown parameter \"{key}\" in the connection URI");
            }
        }
        return b.ConnectionString;
    }

    /// <summary>True when the connection itself carries a password (a study must not).</summary>
    public static bool HasPassword(string connection)
    {
        try
        {
            return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(ToNpgsql(connection)).Password);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return false;
        }
    }

    private static bool IsUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);
}
