#!/usr/bin/env bash
# Whole-process comparison of CepGeo with geopandas, PostGIS and mapshaper on the same inputs
# (issue 9). Installs what it needs (idempotent), runs every tool K times, alternating, and prints
# medians, the ratio CepGeo/peer, peak memory (/usr/bin/time -v; PostGIS: the server backend's
# VmHWM) and whether the areas agree to 1e-9 relative. All tools work in Lambert-93 (EPSG:2154):
# not equal-area, but the one CRS every tool can be told to use, so the totals are comparable.
#
#   compare.sh [--case A|B|N|all] [--runs K] [--peers LIST|none] [--check] [--record] [--no-install]
#
#   A  cells = cantons 2018 (1,995), zones = arrondissements 2018 simplified (320): slivers
#   B  cells = communes 2018 (35,228), zones = cantons 2018 (1,995): the table of issue 9
#   N  data/france/study.json (zones d'emploi x BMO, EPCI, départements, communes' population),
#      full analyze without maps; peer: geopandas doing the same metrics
#   --peers     comma list among geopandas,postgis,mapshaper (default: all that apply to the case)
#   --check     compare CepGeo's medians with recorded.tsv; exit 3 when one is >20% slower
#   --record    add this run's medians to recorded.tsv
#
# Results go to results/<date>-<case>-<commit>.txt (and .runs.tsv beside it, every run), or to
# $CEPGEO_BENCH_RESULTS. CepGeo is published first as the CLI ships (self-contained, composite ReadyToRun);
# CEPGEO_BENCH_BUILD=0: use the Release build as it is (CI built it).
# Exit: 0 fine; 1 a tool failed or the areas disagree; 2 bad usage; 3 regression (--check).
set -euo pipefail
exec </dev/null

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$(cd "$ROOT/../shared/data" 2>/dev/null && pwd) || { echo "error: ../shared/data not found beside $ROOT" >&2; exit 2; }
PY=/usr/bin/python3   # Debian's python, where python3-geopandas installs (not a pyenv shim)
WORK=/tmp/cepgeo-bench
PGDIR=/tmp/cepgeo-bench-pg
PGPORT=55432
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

CASES=A RUNS=5 PEERS=default CHECK=0 RECORD=0 INSTALL=1
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 2; }
while (($#)); do
  case $1 in
    --case) CASES=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --peers) PEERS=${2:?}; shift 2 ;;
    --check) CHECK=1; shift ;;
    --record) RECORD=1; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 2; }
[[ $CASES == all ]] && CASES="A B N"
for c in $CASES; do [[ $c =~ ^[ABN]$ ]] || { echo "--case wants A, B, N or all" >&2; exit 2; }; done

note() { printf 'note: %s\n' "$*" >&2; }
log() { printf '==> %s\n' "$*" >&2; }
SUDO=()
((EUID == 0)) || SUDO=(sudo -n)

# ---- installs (each peer optional: one that cannot be installed is left out with a note) -------
apt_install() { # apt_install PKG... ; true when installed
  local missing=() p
  for p; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  ((INSTALL)) || return 1
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { "${SUDO[@]}" apt-get update -q >/dev/null 2>&1 && "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }
}

have_geopandas() {
  apt_install python3-geopandas python3-rtree || return 1
  "$PY" -c 'import geopandas, rtree' 2>/dev/null
}

have_mapshaper() {
  [[ -x $HERE/peers/node_modules/.bin/mapshaper ]] && return 0
  ((INSTALL)) && command -v npm >/dev/null || return 1
  log "npm ci in peers/"
  (cd "$HERE/peers" && npm ci --no-audit --no-fund >/dev/null 2>&1) && [[ -x $HERE/peers/node_modules/.bin/mapshaper ]]
}

PG_STARTED=0
pg() { # run a PostgreSQL server binary as the cluster's owner
  local bin=$1; shift
  if ((EUID == 0)); then runuser -u postgres -- "$PGBIN/$bin" "$@"; else "$PGBIN/$bin" "$@"; fi
}
psql_bench() { psql -X -q -h "$PGDIR" -p "$PGPORT" -U "$PGSUPER" -d bench "$@"; }
have_postgis() {
  apt_install postgresql postgis gdal-bin || return 1
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $PGBIN ]] || return 1
  PGSUPER=postgres
  ((EUID == 0)) || PGSUPER=$(id -un)
  # A private cluster under /tmp: Unix socket only (no TCP at all), its own port number so it
  # never meets a system cluster; fsync off because the data is thrown away.
  if [[ ! -f $PGDIR/data/PG_VERSION ]]; then
    rm -rf "$PGDIR" && mkdir -p "$PGDIR"
    ((EUID == 0)) && chown postgres "$PGDIR"
    pg initdb -D "$PGDIR/data" --auth=trust -U "$PGSUPER" >/dev/null || return 1
  fi
  if ! pg pg_ctl -D "$PGDIR/data" status >/dev/null 2>&1; then
    pg pg_ctl -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off" start >/dev/null || return 1
    PG_STARTED=1
  fi
  psql -X -q -h "$PGDIR" -p "$PGPORT" -U "$PGSUPER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bench'" | grep -q 1 ||
    psql -X -q -h "$PGDIR" -p "$PGPORT" -U "$PGSUPER" -d postgres -c "CREATE DATABASE bench" || return 1
  psql_bench -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null 2>&1
}
stop_pg() { ((PG_STARTED)) && pg pg_ctl -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; }
trap stop_pg EXIT

# ---- the cases -------------------------------------------------------------------------------
# case_inputs CASE: sets CELLS CELL_ID ZONES ZONE_ID (A, B) and writes the study CepGeo reads.
case_inputs() {
  local f=$DATA/france
  case $1 in
    A) CELLS=$f/cantons-2018.geojson CELL_ID=code ZONES=$f/arrondissements-2018-simplified.geojson ZONE_ID=code ;;
    B) CELLS=$f/communes-2018.geojson CELL_ID=code ZONES=$f/cantons-2018.geojson ZONE_ID=code ;;
    N) STUDY=$ROOT/data/france/study.json; return ;;
  esac
  STUDY=$WORK/study-$1.json
  cat >"$STUDY" <<EOF
{
  "name": "benchmark case $1",
  "crs": "EPSG:2154",
  "cells": { "path": "$CELLS", "id": "$CELL_ID", "name": "nom", "label": "cells" },
  "operators": [ { "key": "zones", "label": "zones", "path": "$ZONES", "id": "$ZONE_ID", "name": "nom" } ]
}
EOF
}

# run_tool TOOL CASE RUN: runs one tool once, timed; appends a row to $RUNS_TSV.
run_tool() {
  local tool=$1 case=$2 run=$3 out=$WORK/$tool-$2
  local log=$out.log tv=$out.time
  rm -rf "$out" "$out.csv"
  local cmd=()
  case $tool in
    cepgeo) cmd=("${RUN_CLI[@]}" analyze "$STUDY" --crs EPSG:2154 --no-maps --timings --lang en --out "$out") ;;
    geopandas)
      if [[ $case == N ]]; then cmd=("$PY" "$HERE/peers/geopandas_case.py" study "$STUDY" "$out")
      else cmd=("$PY" "$HERE/peers/geopandas_case.py" overlay "$CELLS" "$CELL_ID" "$ZONES" "$ZONE_ID"); fi ;;
    mapshaper) cmd=(bash "$HERE/peers/mapshaper_case.sh" "$CELLS" "$CELL_ID" "$ZONES" "$ZONE_ID" "$out.csv") ;;
    postgis) cmd=(bash "$HERE/peers/postgis_case.sh" "$CELLS" "$CELL_ID" "$ZONES" "$ZONE_ID") ;;
  esac
  local t0 t1 status=ok
  t0=$(date +%s.%N)
  PGHOST=$PGDIR PGPORT=$PGPORT PGUSER=${PGSUPER:-postgres} /usr/bin/time -v -o "$tv" "${cmd[@]}" >"$log" 2>&1 || status=failed
  t1=$(date +%s.%N)
  local rss wall
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  [[ $tool == postgis ]] && rss=$(sed -n 's/^PEAK_KB //p' "$log" | tail -1)
  local totals='{}'
  totals=$("$PY" "$HERE/compare_report.py" totals "$tool" "$case" "$out" "$log") || status=failed
  [[ $status == ok ]] || { note "$tool failed on case $case (run $run); its output: $log"; tail -5 "$log" >&2; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$tool" "$run" "$status" "$wall" "${rss:-0}" "$totals" >>"$RUNS_TSV"
  [[ $tool == cepgeo && $status == ok ]] && grep -E '^  (load|project|mosaic|metrics|write|memory)' "$log" >"$WORK/cepgeo-$case-$run.timings" || true
}

# ---- main ------------------------------------------------------------------------------------
RESULTS=${CEPGEO_BENCH_RESULTS:-$HERE/results}
mkdir -p "$WORK" "$RESULTS"
# CepGeo runs as a CLI ships (timed.sh's publish_cli: the self-contained composite ReadyToRun publish, else the fallbacks it names).
source "$HERE/timed.sh"
publish_cli "$WORK/cepgeo" "$WORK/build.log"
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
status=0
for case in $CASES; do
  case_inputs "$case"
  wanted=$PEERS
  if [[ $wanted == default ]]; then
    if [[ $case == N ]]; then wanted=geopandas; else wanted=geopandas,postgis,mapshaper; fi
  fi
  tools=(cepgeo)
  for p in ${wanted//,/ }; do
    [[ $p == none ]] && continue
    if [[ $case == N && $p != geopandas ]]; then note "$p has no case N (only geopandas does the full metrics): left out"; continue; fi
    case $p in
      geopandas) have_geopandas && tools+=(geopandas) || note "geopandas (Debian python3-geopandas, python3-rtree) could not be installed: left out" ;;
      postgis) have_postgis && tools+=(postgis) || note "PostGIS (Debian postgresql, postgis, gdal-bin) could not be installed or started: left out" ;;
      mapshaper) have_mapshaper && tools+=(mapshaper) || note "mapshaper (npm ci in peers/) could not be installed: left out" ;;
      *) echo "unknown peer: $p" >&2; exit 2 ;;
    esac
  done
  # The commit in the name: a second run on the same day (of another commit) must not overwrite
  # the first; nor a second run of the same commit (another set of peers, more runs): -2, -3…
  stamp=$(date +%Y-%m-%d)-$case-$commit
  first=$stamp
  for ((k = 2; ; k++)); do
    [[ -e $RESULTS/$stamp.txt || -e $RESULTS/$stamp.runs.tsv ]] || break
    stamp=$first-$k
  done
  RUNS_TSV=$RESULTS/$stamp.runs.tsv
  report=$RESULTS/$stamp.txt
  : >"$RUNS_TSV"
  rm -f "$WORK/cepgeo-$case"-*.timings
  log "case $case: ${tools[*]}, $RUNS run(s) each, alternating"
  for ((r = 1; r <= RUNS; r++)); do
    for tool in "${tools[@]}"; do
      log "  run $r/$RUNS: $tool"
      run_tool "$tool" "$case" "$r"
    done
  done
  args=(report "$RUNS_TSV" --case "$case" --commit "$commit" --machine "$(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GB, CepGeo as $BUILD_KIND"
        --timings "$WORK/cepgeo-$case" --recorded "$HERE/recorded.tsv")
  ((CHECK)) && args+=(--check)
  ((RECORD)) && args+=(--record)
  rc=0
  "$PY" "$HERE/compare_report.py" "${args[@]}" | tee "$report" || rc=${PIPESTATUS[0]}
  echo "(written to ${report#"$ROOT"/})"
  ((rc > status)) && status=$rc
done
exit "$status"
