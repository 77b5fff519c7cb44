-- The PostGIS peer of compare.sh (cases A and B), written the way an analyst would.
-- Expects cells_raw and zones_raw in WGS84, freshly loaded by ogr2ogr, and psql variables cell_id and
-- zone_id naming their id columns.
-- Projects to Lambert-93 (EPSG:2154, what compare.sh asks CepGeo for), indexes, then the total
-- area of every cell x zone intersection and of the part of each cell that no zone covers.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\timing on
SET extra_float_digits = 3;  -- shortest exact float8 text (compare.sh checks to 1e-9)

DROP TABLE IF EXISTS cells, zones, pieces, gaps;
CREATE TABLE cells AS SELECT :"cell_id"::text AS cell, ST_Transform(geom, 2154) AS geom FROM cells_raw;
CREATE TABLE zones AS SELECT :"zone_id"::text AS zone, ST_Transform(geom, 2154) AS geom FROM zones_raw;
CREATE INDEX ON cells USING gist (geom);
CREATE INDEX ON zones USING gist (geom);
ANALYZE cells;
ANALYZE zones;

-- Every intersecting pair, with its area.
CREATE TABLE pieces AS
SELECT c.cell, z.zone, ST_Area(ST_Intersection(c.geom, z.geom)) / 1e6 AS area_km2
FROM cells c JOIN zones z ON ST_Intersects(c.geom, z.geom);

-- Gaps: each cell minus the union of the zones that touch it.
CREATE TABLE gaps AS
SELECT c.cell,
       CASE WHEN u.geom IS NULL THEN ST_Area(c.geom)
            ELSE ST_Area(ST_Difference(c.geom, u.geom)) END / 1e6 AS area_km2
FROM cells c
LEFT JOIN LATERAL (SELECT ST_Union(z.geom) AS geom FROM zones z WHERE ST_Intersects(c.geom, z.geom)) u ON true;

\timing off
\pset tuples_only on
\pset format unaligned
SELECT 'RESULT ' || json_build_object(
    'pairs', (SELECT count(*) FROM pieces WHERE area_km2 > 0),
    'intersection_km2', (SELECT sum(area_km2) FROM pieces),
    'gap_km2', (SELECT sum(area_km2) FROM gaps));
