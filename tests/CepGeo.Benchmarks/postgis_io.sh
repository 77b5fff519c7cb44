#!/usr/bin/env bash
# The national study read from and written to PostGIS against the same study from files (issue 26:
# PostGIS in and out must stay within 2x the file-based time). Starts a private PostgreSQL + PostGIS
# cluster on a Unix socket under /tmp (as compare.sh does; as the postgres user when run as root),
# loads the cells and the three operator layers with ogr2ogr (EPSG:4326, as in the files), then times
#   files:   cepgeo analyze data/france/study.json --no-maps
#   postgis: cepgeo analyze <same study, cells and operators from tables> --no-maps --to-postgis … --schema bench
# RUNS times each, alternating, and prints the medians. Usage: postgis_io.sh [RUNS]
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$(cd "$ROOT/../shared/data/france" && pwd)
PGBIN=/usr/lib/postgresql/15/bin
[[ -x $PGBIN/initdb && -f /usr/share/postgresql/15/extension/postgis.control ]] ||
  { echo "error: postgresql-15-postgis-3 is not installed" >&2; exit 2; }
WORK=$(mktemp -d /tmp/cepgeo-pgio-XXXXXX)
PORT=$((30000 + RANDOM % 20000))
USER_=postgres; ((EUID == 0)) || USER_=$(id -un)
pg() { local b=$1; shift; if ((EUID == 0)); then runuser -u postgres -- "$PGBIN/$b" "$@"; else "$PGBIN/$b" "$@"; fi; }
cleanup() { pg pg_ctl -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
((EUID == 0)) && chown postgres "$WORK"
pg initdb -D "$WORK/data" --auth=trust -U "$USER_" >/dev/null
pg pg_ctl -D "$WORK/data" -l "$WORK/log" -w -o "-k $WORK -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off" start >/dev/null
psql -X -q -h "$WORK" -p "$PORT" -U "$USER_" -d postgres -c "CREATE DATABASE bench"
psql -X -q -h "$WORK" -p "$PORT" -U "$USER_" -d bench -c "CREATE EXTENSION postgis; CREATE SCHEMA ref"
OGR="PG:host=$WORK port=$PORT user=$USER_ dbname=bench"
for layer in ze2020 bassins-bmo epci-2026 departements; do
  ogr2ogr -f PostgreSQL "$OGR" "$DATA/$layer.geojson" -nln "ref.${layer//-/_}" -lco GEOMETRY_NAME=geom -lco SCHEMA=ref
done
CONN="Host=$WORK;Port=$PORT;Username=$USER_;Database=bench"
python3 - "$ROOT/data/france/study.json" "$WORK/study.json" "$CONN" <<'PY'
import json, os, sys
src, dst, conn = sys.argv[1:]
s = json.load(open(src)); base = os.path.dirname(src)
def table(layer, name):
    layer.pop("path"); layer["postgis"] = conn; layer["table"] = "ref." + name
table(s["cells"], "ze2020")
for op, name in zip(s["operators"], ["bassins_bmo", "epci_2026", "departements"]):
    table(op, name)
    if "sites" in op: op["sites"]["path"] = os.path.normpath(os.path.join(base, op["sites"]["path"]))
s["weights"]["path"] = os.path.normpath(os.path.join(base, s["weights"]["path"]))
json.dump(s, open(dst, "w"), ensure_ascii=False)
PY
CLI=(dotnet "$ROOT/src/CepGeo.Cli/bin/Release/net10.0/cepgeo.dll")
[[ -f ${CLI[1]} ]] || dotnet build "$ROOT/src/CepGeo.Cli" -c Release -v q -nologo >/dev/null
t() { local s e; s=$(date +%s.%N); "$@" >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
files=() pgs=()
for ((i = 0; i < RUNS; i++)); do
  files+=("$(t "${CLI[@]}" analyze "$ROOT/data/france/study.json" --no-maps --force --out "$WORK/out-files")")
  pgs+=("$(t "${CLI[@]}" analyze "$WORK/study.json" --no-maps --force --out "$WORK/out-pg" --to-postgis "$CONN" --schema bench)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mf=$(median "${files[@]}"); mp=$(median "${pgs[@]}")
echo "files:   ${files[*]} s (median $mf)"
echo "postgis: ${pgs[*]} s (median $mp)"
echo "ratio:   $(echo "scale=3; $mp / $mf" | bc)"
echo "rows in bench: $(psql -X -q -A -t -h "$WORK" -p "$PORT" -U "$USER_" -d bench -c "SELECT (SELECT count(*) FROM bench.cells) || ' cells, ' || (SELECT count(*) FROM bench.gaps) || ' gaps, ' || (SELECT count(*) FROM bench.zones) || ' zones, ' || (SELECT count(*) FROM bench.pairs) || ' pairs'")"
