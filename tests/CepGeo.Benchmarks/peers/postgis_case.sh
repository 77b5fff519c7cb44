#!/usr/bin/env bash
# The PostGIS peer of compare.sh (cases A and B): load both layers with ogr2ogr (WGS84 as they
# are), then postgis_case.sql projects, indexes and measures. Connection from PGHOST/PGPORT/PGUSER.
#   postgis_case.sh CELLS.geojson CELL_ID ZONES.geojson ZONE_ID
set -euo pipefail
cells=$1 cell_id=$2 zones=$3 zone_id=$4
here=$(dirname "${BASH_SOURCE[0]}")
pg="PG:host=$PGHOST port=$PGPORT user=$PGUSER dbname=bench"
load() { ogr2ogr -f PostgreSQL "$pg" "$1" -nln "$2" -select "$3" -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE \
  -nlt PROMOTE_TO_MULTI -overwrite; }
load "$cells" cells_raw "$cell_id"
load "$zones" zones_raw "$zone_id"
psql -X -q -d bench -v cell_id="$cell_id" -v zone_id="$zone_id" -f "$here/postgis_case.sql" -f "$here/postgis_peak.sql"
