using System.Buffers.Binary;
using System.Globalization;
using System.Security;
using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Core.Rendering;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Reporting;

/// <summary>
/// results.gpkg (OGC GeoPackage 1.3): the layers <c>cells</c>, <c>gaps</c> and <c>zones_&lt;key&gt;</c>
/// (MultiPolygon in EPSG:4326, every metric a typed column, ids as text), the tables <c>pairs</c>,
/// <c>cells_metrics</c>, <c>zones_metrics</c> and <c>summary</c>, the study's equal-area CRS declared beside
/// WGS 84, and QGIS styles for <c>cells</c> (misfit in the report's classes and colours, names as labels)
/// and <c>gaps</c> in the <c>layer_styles</c> table QGIS reads, so the file opens already styled.
/// Where the study has sites: a <c>sites_&lt;key&gt;</c> point layer per operator with sites, and the spec §9
/// columns (<c>{key}_sites</c>, <c>{key}_dist_mean_km</c>…) in <c>cells</c>. <c>plan score</c> and <c>design</c>
/// add their own tables (perimeters; design, moves, glue) through <c>extra</c>.
/// </summary>
/// <remarks>
/// SQLite writes to a database, not a stream: the caller opens the connection on a new file (Core
/// never names a path) and closes it.
/// </remarks>
public static class GeoPackageWriter
{
    public const string FileName = "results.gpkg";

    private const int Wgs84 = 4326;

    /// <summary>Writes every layer and table in one transaction.</summary>
    public static void Write(SqliteConnection connection, AnalysisResult r, string version, string lang = "fr") =>
        Write(connection, r, version, [], lang);

    /// <summary>Writes every layer and table, then the attribute tables <paramref name="extra"/>, in one transaction.</summary>
    /// <param name="cancel">Checked before each chunk of 64 features and each attribute row (Ctrl+C stops the file within a moment).</param>
    public static void Write(SqliteConnection connection, AnalysisResult r, string version, IEnumerable<ResultTables.Table> extra, string lang = "fr",
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(extra);
        using (var pragma = connection.CreateCommand())
        {
            // "GPKG" and version 1.3.0: how GDAL and QGIS recognise a GeoPackage.
            // No journal and no fsync at the commit: the file is new, written into a staging folder and
            // moved into place only once complete, as the other outputs are (none of which is synced
            // either); the sync alone was 0.1-0.4 s of waiting for the disk on case B's 112 MB.
            // Pages of 64 KB rather than 4: a row of case B's cells or gaps is a blob of hundreds of bytes to
            // several KB, and SQLite's inserts took 15 % less processor time (alternating runs; the tables
            // are the same, only the file's layout changes).
            pragma.CommandText = "PRAGMA page_size = 65536; PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;";
            pragma.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        CreateCoreTables(connection, r);
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);

        WriteFeatures(connection, ResultTables.CellsLayer(r), toWgs84, cancel);
        WriteFeatures(connection, ResultTables.GapsLayer(r), toWgs84, cancel);
        for (int k = 1; k < r.Infos.Count; k++)
            WriteFeatures(connection, ResultTables.ZonesLayer(r, k), toWgs84, cancel);
        foreach (var s in r.Sites)
            WriteFeatures(connection, ResultTables.SitesLayer(r, s), toWgs84, cancel);
        foreach (var (table, name) in new[]
        {
            (ResultTables.Pairs(r), "pairs"), (ResultTables.Cells(r), "cells_metrics"),
            (ResultTables.Zones(r), "zones_metrics"), (ResultTables.Summary(r), "summary"),
        })
            WriteAttributes(connection, name, table, cancel);
        foreach (var table in extra)
            WriteAttributes(connection, table.Name, table, cancel);
        WriteStyles(connection, r, lang == "en" ? MapText.En : MapText.Fr);
        tx.Commit();
    }

    // ---- the GeoPackage's own tables ------------------------------------------------------------

    private static void CreateCoreTables(SqliteConnection c, AnalysisResult r)
    {
        Exec(c, """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
              description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            """);
        AddSrs(c, "WGS 84 geodetic", Wgs84, "EPSG", Wgs84, KnownCrs.Wkt("EPSG:4326")!, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid");
        var (srsId, organization, code) = EqualAreaSrs(r.Crs);
        string? wkt = r.Crs.Wkt ?? (r.Crs.Code is { } known ? KnownCrs.Wkt(known) : null);
        if (srsId != Wgs84 && wkt is not null)
            AddSrs(c, r.Crs.ToString(), srsId, organization, code, wkt, "the equal-area CRS CepGeo measured the areas in");
    }

    /// <summary>An EPSG code keeps its number; a LAEA centred on the study is a custom SRS of its own number.</summary>
    private static (int SrsId, string Organization, int Code) EqualAreaSrs(CrsRef crs)
    {
        if (crs.Code is { } code && code.StartsWith("EPSG:", StringComparison.Ordinal)
            && int.TryParse(code.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int epsg))
            return (epsg, "EPSG", epsg);
        return (100000, "CEPGEO", 100000);
    }

    private static void AddSrs(SqliteConnection c, string name, int id, string organization, int code, string wkt, string description)
    {
        Exec(c, "INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $id, $org, $code, $wkt, $description)",
            ("$name", name), ("$id", id), ("$org", organization), ("$code", code), ("$wkt", wkt), ("$description", description));
    }

    // ---- feature layers ---------------------------------------------------------------------------

    /// <summary>
    /// The features' blobs are made on every core, a chunk of features at a time, while this thread
    /// inserts the chunks made, in order: the layer's rows are the same as one thread would write.
    /// </summary>
    private static void WriteFeatures(SqliteConnection c, ResultTables.FeatureTable t, Reprojector toWgs84, CancellationToken cancel)
    {
        string geometryType = t.Points ? "POINT" : "MULTIPOLYGON";
        var sql = new StringBuilder($"CREATE TABLE {Quote(t.Name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometryType}");
        foreach (var (name, type) in t.Columns) sql.Append(", ").Append(Quote(name)).Append(' ').Append(SqlType(type));
        sql.Append(')');
        Exec(c, sql.ToString());

        var envelope = new Envelope();
        using (var insert = new RowInsert(c, t.Name, ["geom", .. t.Columns.Select(x => x.Name)]))
        {
            InOrder(t.Count, () => new BlobChunk(), (chunk, from, to) => chunk.Fill(t, from, to, t.Points ? null : toWgs84), chunk =>
            {
                cancel.ThrowIfCancellationRequested();
                for (int i = 0; i < chunk.Count;)
                {
                    // Whole statements of RowsPerStatement rows while the chunk has them, then row by row.
                    int rows = chunk.Count - i >= RowInsert.RowsPerStatement ? RowInsert.RowsPerStatement : 1;
                    insert.Begin(rows);
                    for (int row = 0; row < rows; row++, i++)
                    {
                        insert.Blob(row, 0, chunk.Blob(i));
                        var values = chunk.Values[i];
                        for (int k = 0; k < values.Length; k++) insert.Value(row, k + 1, values[k]);
                    }
                    insert.Step();
                }
                if (!chunk.Envelope.IsNull) envelope.ExpandToInclude(chunk.Envelope);
            });
        }
        Exec(c, """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id)
            VALUES ($t, 'features', $id, $x0, $y0, $x1, $y1, 4326);
            INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, 4326, 0, 0);
            """,
            ("$t", t.Name), ("$type", geometryType), ("$id", t.Label == t.Name ? t.Name : $"{t.Name} ({t.Label})"),
            ("$x0", envelope.IsNull ? DBNull.Value : envelope.MinX), ("$y0", envelope.IsNull ? DBNull.Value : envelope.MinY),
            ("$x1", envelope.IsNull ? DBNull.Value : envelope.MaxX), ("$y1", envelope.IsNull ? DBNull.Value : envelope.MaxY));
    }

    /// <summary>
    /// Chunks <c>0 .. n/64</c> of <paramref name="count"/> items filled on the thread pool, a few ahead at
    /// most, and consumed on this thread in order; a chunk consumed is filled again later. The first
    /// failure, in order, is thrown once the chunks in flight are done.
    /// </summary>
    private static void InOrder<T>(int count, Func<T> make, Action<T, int, int> fill, Action<T> consume)
    {
        const int size = 64;
        int chunks = (count + size - 1) / size, next = 0;
        var pool = new System.Collections.Concurrent.ConcurrentBag<T>();
        var pending = new Queue<Task<T>>();
        void Start()
        {
            int from = next * size, to = Math.Min(count, from + size);
            next++;
            pending.Enqueue(Task.Run(() =>
            {
                var chunk = pool.TryTake(out var free) ? free : make();
                fill(chunk, from, to);
                return chunk;
            }));
        }
        try
        {
            while (next < chunks && pending.Count < 4 * Environment.ProcessorCount) Start();
            while (pending.Count > 0)
            {
                var chunk = pending.Dequeue().GetAwaiter().GetResult();
                consume(chunk);
                pool.Add(chunk);
                if (next < chunks) Start();
            }
        }
        catch
        {
            foreach (var task in pending)
                try { task.Wait(); } catch (AggregateException) { }
            throw;
        }
    }

    /// <summary>
    /// A chunk of features as GeoPackage geometry blobs (one buffer, reused from chunk to chunk) and
    /// their values. A blob is the standard header (magic "GP", version 0, little-endian, SRS 4326, the
    /// envelope [minx, maxx, miny, maxy]) and the WKB of an xy MultiPolygon or Point, as the layer's
    /// z = 0 and m = 0 declare.
    /// </summary>
    private sealed class BlobChunk
    {
        private byte[] _bytes = new byte[256 * 1024];
        private int _length;
        private readonly int[] _ends = new int[64];
        private double[] _xs = new double[1024], _ys = new double[1024];
        private double _x0, _x1, _y0, _y1;

        public object?[][] Values { get; } = new object?[64][];

        public int Count { get; private set; }

        /// <summary>The envelope of the chunk's features.</summary>
        public Envelope Envelope { get; } = new();

        public ReadOnlySpan<byte> Blob(int i)
        {
            int from = i == 0 ? 0 : _ends[i - 1];
            return _bytes.AsSpan(from, _ends[i] - from);
        }

        public void Fill(ResultTables.FeatureTable t, int from, int to, Reprojector? toWgs84)
        {
            _length = 0;
            Count = 0;
            Envelope.SetToNull();
            for (int i = from; i < to; i++)
            {
                if (t.Points) WritePoint((Point)t.Geometry(i));
                else if (t.FaceRings?.Invoke(i) is { } rings)
                {
                    // One face of the mosaic, read off its arrays.
                    int start = BeginMultiPolygon(1);
                    WkbHead(3, rings.Count);
                    for (int r = 0; r < rings.Count; r++) WriteRing(rings[r].Span, r == 0, toWgs84!);
                    EndMultiPolygon(start, 1);
                }
                else
                {
                    var g = t.Geometry(i);
                    int polygons = g is Polygon ? 1 : g.NumGeometries, written = 0;
                    int start = BeginMultiPolygon(0);
                    for (int p = 0; p < polygons; p++)
                    {
                        if ((g is Polygon ? g : g.GetGeometryN(p)) is not Polygon polygon) continue;
                        written++;
                        WkbHead(3, polygon.IsEmpty ? 0 : polygon.NumInteriorRings + 1);
                        if (polygon.IsEmpty) continue;
                        WriteRing(polygon.ExteriorRing.CoordinateSequence, true, toWgs84!);
                        for (int r = 0; r < polygon.NumInteriorRings; r++)
                            WriteRing(polygon.GetInteriorRingN(r).CoordinateSequence, false, toWgs84!);
                    }
                    EndMultiPolygon(start, written);
                }
                _ends[Count] = _length;
                Values[Count] = t.Values(i);
                Count++;
            }
        }

        private const int HeaderBytes = 40;

        /// <summary>Room for the header and the MultiPolygon's head; where the blob starts.</summary>
        private int BeginMultiPolygon(int polygons)
        {
            int start = Reserve(HeaderBytes);
            WkbHead(6, polygons);
            (_x0, _y0, _x1, _y1) = (double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);
            return start;
        }

        private void EndMultiPolygon(int start, int polygons)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(start + HeaderBytes + 5), polygons);
            Header(start);
        }

        /// <summary>The blob's header, its envelope the one gathered in <c>_x0 … _y1</c> (none gathered: empty).</summary>
        private void Header(int start)
        {
            bool empty = !(_x0 <= _x1);
            var b = _bytes.AsSpan(start);
            b[0] = (byte)'G';
            b[1] = (byte)'P';
            b[2] = 0;
            // Little-endian (bit 0), envelope [minx, maxx, miny, maxy] (1 in bits 1-3), empty (bit 4; its envelope NaN).
            b[3] = (byte)(1 | 2 | (empty ? 0x10 : 0));
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], Wgs84);
            BinaryPrimitives.WriteDoubleLittleEndian(b[8..], empty ? double.NaN : _x0);
            BinaryPrimitives.WriteDoubleLittleEndian(b[16..], empty ? double.NaN : _x1);
            BinaryPrimitives.WriteDoubleLittleEndian(b[24..], empty ? double.NaN : _y0);
            BinaryPrimitives.WriteDoubleLittleEndian(b[32..], empty ? double.NaN : _y1);
            if (!empty)
            {
                Envelope.ExpandToInclude(_x0, _y0);
                Envelope.ExpandToInclude(_x1, _y1);
            }
        }

        private void WriteRing(CoordinateSequence ring, bool shell, Reprojector toWgs84)
        {
            int n = ring.Count;
            Room(n);
            toWgs84.Transform(ring, _xs, _ys);
            WritePoints(n, shell);
        }

        /// <summary>A ring's point count and points, in lon/lat; a shell widens the envelope (NTS's envelope of a polygon is its shell's).</summary>
        private void WriteRing(ReadOnlySpan<double> xy, bool shell, Reprojector toWgs84)
        {
            int n = xy.Length / 2;
            Room(n);
            toWgs84.Transform(xy, _xs, _ys);
            WritePoints(n, shell);
        }

        private void Room(int n)
        {
            if (_xs.Length < n) (_xs, _ys) = (new double[Math.Max(n, 2 * _xs.Length)], new double[Math.Max(n, 2 * _xs.Length)]);
        }

        /// <summary>The first <paramref name="n"/> points of <c>_xs</c>, <c>_ys</c> as a WKB ring.</summary>
        private void WritePoints(int n, bool shell)
        {
            int at = Reserve(4 + 16 * n);
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(at), n);
            var points = _bytes.AsSpan(at + 4, 16 * n);
            for (int k = 0; k < n; k++)
            {
                double x = _xs[k], y = _ys[k];
                BinaryPrimitives.WriteDoubleLittleEndian(points[(16 * k)..], x);
                BinaryPrimitives.WriteDoubleLittleEndian(points[(16 * k + 8)..], y);
                if (shell)
                {
                    _x0 = Math.Min(_x0, x);
                    _x1 = Math.Max(_x1, x);
                    _y0 = Math.Min(_y0, y);
                    _y1 = Math.Max(_y1, y);
                }
            }
        }

        /// <summary>A point in lon/lat already: the header (its envelope the point: the layer's extent counts it) and its WKB.</summary>
        private void WritePoint(Point point)
        {
            int start = Reserve(HeaderBytes);
            (_x0, _y0, _x1, _y1) = point.IsEmpty
                ? (double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity)
                : (point.X, point.Y, point.X, point.Y);
            int at = Reserve(21);
            _bytes[at] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(at + 1), 1);
            BinaryPrimitives.WriteDoubleLittleEndian(_bytes.AsSpan(at + 5), point.IsEmpty ? double.NaN : point.X);
            BinaryPrimitives.WriteDoubleLittleEndian(_bytes.AsSpan(at + 13), point.IsEmpty ? double.NaN : point.Y);
            Header(start);
        }

        /// <summary>A WKB geometry's byte order (little-endian), type and count of parts (polygons, rings).</summary>
        private void WkbHead(uint type, int count)
        {
            int at = Reserve(9);
            _bytes[at] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(at + 1), type);
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(at + 5), count);
        }

        /// <summary>Room for <paramref name="bytes"/> more bytes; where they start.</summary>
        private int Reserve(int bytes)
        {
            if (_bytes.Length < _length + bytes) Array.Resize(ref _bytes, Math.Max(_length + bytes, 2 * _bytes.Length));
            int at = _length;
            _length += bytes;
            return at;
        }
    }

    // ---- attribute tables --------------------------------------------------------------------------

    private static void WriteAttributes(SqliteConnection c, string name, ResultTables.Table table, CancellationToken cancel)
    {
        var sql = new StringBuilder($"CREATE TABLE {Quote(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL");
        for (int i = 0; i < table.Columns.Length; i++) sql.Append(", ").Append(Quote(table.Columns[i])).Append(' ').Append(SqlType(table.Types[i]));
        sql.Append(')');
        Exec(c, sql.ToString());
        using (var insert = new RowInsert(c, name, table.Columns))
        {
            // Rows gathered by RowsPerStatement, inserted by one statement; the last few row by row.
            var rows = new object?[RowInsert.RowsPerStatement][];
            int gathered = 0;
            void Insert(int count)
            {
                insert.Begin(count);
                for (int r = 0; r < count; r++)
                    for (int i = 0; i < rows[r].Length; i++) insert.Value(r, i, rows[r][i]);
                insert.Step();
            }
            foreach (var row in table.Rows)
            {
                cancel.ThrowIfCancellationRequested();
                rows[gathered++] = row;
                if (gathered < rows.Length) continue;
                Insert(gathered);
                gathered = 0;
            }
            for (int r = 0; r < gathered; r++)
            {
                rows[0] = rows[r];
                Insert(1);
            }
        }
        Exec(c, "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ($t, 'attributes', $t)", ("$t", name));
    }

    // ---- QGIS styles --------------------------------------------------------------------------------

    private static void WriteStyles(SqliteConnection c, AnalysisResult r, MapText t)
    {
        // The table QGIS creates and reads ("Save style in database"); registered as attributes, as QGIS does.
        Exec(c, """
            CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
              f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
              useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT, update_time DATETIME DEFAULT CURRENT_TIMESTAMP);
            INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('layer_styles', 'attributes', 'layer_styles');
            """);
        bool first = true;
        foreach (var cmp in r.Comparisons)
        {
            string label = r.Infos.First(i => i.Key == cmp.Operator).Label;
            string field = cmp.Operator + (r.HasWeights ? "_pop_misfit" : "_misfit");
            string title = t.MisfitTitle(r.Infos[0].Label, label) + (r.HasWeights ? t.T(" (en population)", " (by population)") : "");
            AddStyle(c, "cells", $"misfit {cmp.Operator}", QgisStyles.CellsMisfit(field, "cell_name", t), title, first);
            first = false;
        }
        AddStyle(c, "gaps", "defects", QgisStyles.Gaps(t), t.T("Zones blanches, doubles couvertures, débordements", "Gaps, double coverage, straddling pieces"), true);
        foreach (var s in r.Sites)
        {
            // The maps' marker of this operator: its colour, and circle, square or triangle in turn.
            int op = MapRenderer.OperatorIndex(r, s.Operator);
            AddStyle(c, "sites_" + s.Operator, "sites", QgisStyles.Sites(PlannerStyle.OperatorColor(op), op % 3),
                t.T($"Lieux d'accueil : {s.Label}", $"Sites: {s.Label}"), true);
        }
    }

    private static void AddStyle(SqliteConnection c, string table, string name, string qml, string description, bool useAsDefault)
    {
        Exec(c, """
            INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
            VALUES ('', '', $t, 'geom', $name, $qml, '', $default, $description, 'CepGeo', '')
            """,
            ("$t", table), ("$name", name), ("$qml", qml), ("$default", useAsDefault), ("$description", description));
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /// <summary>
    /// Two prepared INSERTs, of <see cref="RowsPerStatement"/> rows and of one row, bound through SQLite's own
    /// calls (SQLitePCLRaw, which Microsoft.Data.Sqlite runs on): a blob or a text is bound from a span (SQLite
    /// copies it), with no array or command object made per row (hundreds of thousands of rows on a national study).
    /// </summary>
    /// <remarks>
    /// Several rows a statement: each run of an INSERT into a table with <c>AUTOINCREMENT</c> (as a GeoPackage's
    /// feature tables are declared) reads and rewrites its row of <c>sqlite_sequence</c>, and each step and reset
    /// is a call through a handle; the rows, their fids and the sequence are the same.
    /// </remarks>
    private sealed class RowInsert : IDisposable
    {
        /// <summary>Rows of the multi-row statement. Its 16 × columns parameters stay within SQLite's bound on them
        /// (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since 3.32; the bundled e_sqlite3 is newer): a table has at most 2,000 columns
        /// (SQLITE_MAX_COLUMN), 32,000 parameters.</summary>
        public const int RowsPerStatement = 16;

        private readonly SqliteConnection _connection;
        private readonly SQLitePCL.sqlite3_stmt _one, _many;
        private readonly int _columns;
        private SQLitePCL.sqlite3_stmt _statement;
        private byte[] _text = new byte[256];

        public RowInsert(SqliteConnection c, string table, IReadOnlyList<string> columns)
        {
            _connection = c;
            _columns = columns.Count;
            string head = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ";
            string row = "(" + string.Join(", ", columns.Select(_ => "?")) + ")";
            Check(SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, head + row, out _one));
            Check(SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, head + string.Join(", ", Enumerable.Repeat(row, RowsPerStatement)), out _many));
            _statement = _many;
        }

        /// <summary>The next statement: <see cref="RowsPerStatement"/> rows, or 1; its rows are bound as 0, 1…</summary>
        public void Begin(int rows) => _statement = rows switch
        {
            RowsPerStatement => _many,
            1 => _one,
            _ => throw new ArgumentOutOfRangeException(nameof(rows), rows, $"{RowsPerStatement} rows or 1"),
        };

        public void Blob(int row, int column, ReadOnlySpan<byte> blob) =>
            Check(SQLitePCL.raw.sqlite3_bind_blob(_statement, Index(row, column), blob));

        /// <summary>Binds a value as Microsoft.Data.Sqlite would: null, NaN and ±∞ as NULL, booleans as 0 and 1.</summary>
        public void Value(int row, int column, object? value)
        {
            var statement = _statement;
            int i = Index(row, column);
            Check(value switch
            {
                null => SQLitePCL.raw.sqlite3_bind_null(statement, i),
                double d when !double.IsFinite(d) => SQLitePCL.raw.sqlite3_bind_null(statement, i),
                double d => SQLitePCL.raw.sqlite3_bind_double(statement, i, d),
                float f when !float.IsFinite(f) => SQLitePCL.raw.sqlite3_bind_null(statement, i),
                float f => SQLitePCL.raw.sqlite3_bind_double(statement, i, f),
                int n => SQLitePCL.raw.sqlite3_bind_int64(statement, i, n),
                long n => SQLitePCL.raw.sqlite3_bind_int64(statement, i, n),
                bool b => SQLitePCL.raw.sqlite3_bind_int64(statement, i, b ? 1 : 0),
                string s => BindText(statement, i, s),
                _ => throw new ArgumentException($"A {value.GetType().Name} has no GeoPackage column type.", nameof(value)),
            });
        }

        /// <summary>SQLite's parameter number of row <paramref name="row"/>'s column <paramref name="column"/>.</summary>
        private int Index(int row, int column) => row * _columns + column + 1;

        private int BindText(SQLitePCL.sqlite3_stmt statement, int i, string s)
        {
            int max = Encoding.UTF8.GetMaxByteCount(s.Length);
            if (_text.Length < max) _text = new byte[Math.Max(max, 2 * _text.Length)];
            int n = Encoding.UTF8.GetBytes(s, _text);
            return SQLitePCL.raw.sqlite3_bind_text(statement, i, _text.AsSpan(0, n));
        }

        /// <summary>Inserts the rows bound.</summary>
        public void Step()
        {
            int rc = SQLitePCL.raw.sqlite3_step(_statement);
            if (rc != SQLitePCL.raw.SQLITE_DONE) Check(rc);
            Check(SQLitePCL.raw.sqlite3_reset(_statement));
        }

        private void Check(int rc)
        {
            if (rc != SQLitePCL.raw.SQLITE_OK && rc != SQLitePCL.raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        public void Dispose()
        {
            _one.Dispose();
            _many.Dispose();
        }
    }

    /// <summary>GeoPackage column types (GDAL reads them as Integer, Real, String and Integer(Boolean); INTEGER would be Integer64).</summary>
    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "MEDIUMINT",
        ColumnType.Real => "REAL",
        ColumnType.Boolean => "BOOLEAN",
        _ => "TEXT",
    };

    /// <summary>Runs one statement (or several) with its named parameters.</summary>
    private static void Exec(SqliteConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>QGIS layer styles (QML) for the GeoPackage: the classes, colours and words of <see cref="PlannerStyle"/>.</summary>
public static class QgisStyles
{
    /// <summary>Cells coloured by <paramref name="field"/> in the misfit classes, labelled with <paramref name="labelField"/>.</summary>
    public static string CellsMisfit(string field, string labelField, MapText t)
    {
        var scale = PlannerStyle.Misfit;
        var ranges = new StringBuilder();
        var symbols = new StringBuilder();
        double[] bounds = [scale.Min, .. scale.Breaks, scale.Max ?? 1];
        for (int i = 0; i < scale.Count; i++)
        {
            // QGIS ranges hold lower < v ≤ upper; the style's classes hold their lower bound (0.05 is in
            // the second class): each upper bound is the double just below the next break.
            double lower = i == 0 ? bounds[0] : Math.BitDecrement(bounds[i]);
            double upper = i == scale.Count - 1 ? bounds[i + 1] : Math.BitDecrement(bounds[i + 1]);
            string label = $"{t.N(bounds[i], "0.00")} – {t.N(bounds[i + 1], "0.00")}";
            ranges.Append(CultureInfo.InvariantCulture, $"""<range lower="{lower:R}" upper="{upper:R}" symbol="{i}" label="{Xml(label)}" render="true"/>""");
            symbols.Append(FillSymbol(i.ToString(CultureInfo.InvariantCulture), Rgba(PlannerStyle.Palette[scale.ColorIndexOf(i)]), "solid", "96,96,96,255"));
        }
        return $"""
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
              <renderer-v2 type="graduatedSymbol" attr="{Xml(field)}" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
                <ranges>{ranges}</ranges>
                <symbols>{symbols}</symbols>
                <source-symbol>{FillSymbol("0", Rgba(PlannerStyle.Palette[0]), "solid", "96,96,96,255")}</source-symbol>
                <classificationMethod id="Fixed"/>
              </renderer-v2>
              <labeling type="simple">
                <settings calloutType="simple">
                  <text-style fieldName="{Xml(labelField)}" isExpression="0" fontSize="9" fontFamily="DejaVu Sans" textColor="34,34,34,255" fontWeight="50">
                    <text-buffer bufferDraw="1" bufferSize="1" bufferColor="255,255,255,255" bufferOpacity="0.9"/>
                  </text-style>
                  <placement placement="0" placementFlags="10"/>
                  <rendering obstacle="1" displayAll="0"/>
                </settings>
              </labeling>
              <layerGeometryType>2</layerGeometryType>
            </qgis>
            """;
    }

    /// <summary>The defects by kind, drawn as <see cref="PlannerStyle.Defects"/> says (hatch, cross-hatch, outline).</summary>
    public static string Gaps(MapText t)
    {
        var categories = new StringBuilder();
        var symbols = new StringBuilder();
        int i = 0;
        foreach (var d in PlannerStyle.Defects.Values)
        {
            string name = i.ToString(CultureInfo.InvariantCulture);
            categories.Append(CultureInfo.InvariantCulture, $"""<category value="{d.Kind}" symbol="{name}" label="{Xml(t.French ? d.Fr : d.En)}" render="true"/>""");
            symbols.Append(d.Pattern switch
            {
                "hatch" => FillSymbol(name, Rgba(d.Color), "b_diagonal", Rgba(d.Color)),
                "crosshatch" => FillSymbol(name, Rgba(d.Color), "diagonal_x", Rgba(d.Color)),
                _ => FillSymbol(name, "0,0,0,0", "no", Rgba(d.Color)),
            });
            i++;
        }
        return $"""
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology">
              <renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0">
                <categories>{categories}</categories>
                <symbols>{symbols}</symbols>
              </renderer-v2>
              <layerGeometryType>2</layerGeometryType>
            </qgis>
            """;
    }

    /// <summary>An operator's sites: a marker of its colour with a white ring (shape 0 circle, 1 square, 2 triangle, as on the maps).</summary>
    public static string Sites(string color, int shape) => $"""
        <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
        <qgis version="3.28.0" styleCategories="Symbology">
          <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
            <symbols>
              <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="name" value="{shape switch { 0 => "circle", 1 => "square", _ => "triangle" }}"/><Option type="QString" name="color" value="{Rgba(color)}"/><Option type="QString" name="outline_color" value="255,255,255,255"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.4"/><Option type="QString" name="outline_width_unit" value="MM"/><Option type="QString" name="size" value="2.6"/><Option type="QString" name="size_unit" value="MM"/></Option></layer></symbol>
            </symbols>
          </renderer-v2>
          <layerGeometryType>0</layerGeometryType>
        </qgis>
        """;

    /// <summary><c>#rrggbb</c> → QGIS's <c>r,g,b,255</c>.</summary>
    public static string Rgba(string hex) => string.Create(CultureInfo.InvariantCulture,
        $"{Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},255");

    /// <summary>A QGIS simple fill symbol: fill colour and style (solid, b_diagonal, diagonal_x, no), outline colour.</summary>
    private static string FillSymbol(string name, string fill, string style, string outline) => $"""
        <symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="{fill}"/><Option type="QString" name="style" value="{style}"/><Option type="QString" name="outline_color" value="{outline}"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.26"/><Option type="QString" name="outline_width_unit" value="MM"/><Option type="QString" name="joinstyle" value="bevel"/></Option></layer></symbol>
        """;

    private static string Xml(string s) => SecurityElement.Escape(s);
}

