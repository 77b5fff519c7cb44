#!/usr/bin/env bash
# Maps, report and atlas against the analysis (issue 28). Times, alternately, RUNS times each (whole processes,
# Release build, /usr/bin/time: wall, user + system CPU, peak memory; the load average before each run):
#   national:  cepgeo analyze data/france/study.json --no-maps   against   the same with maps, report.html and atlas.pdf
#              (target: with maps <= 1.5 x without)
#   PACA:      cepgeo analyze data/paca/study.json --no-maps      against   cepgeo render data/paca/study.json --print
#              (target: render --print <= 3 x the analysis)
# The machine may be shared: the ratio of medians of the same alternation is the figure, not the seconds.
# Also prints the size of the national atlas.pdf and report.html. With OLD (a cepgeo.dll of another build), its runs
# with maps are timed in the same alternation. Writes results/<date>-maps-<commit>.txt (or $CEPGEO_BENCH_RESULTS/).
#   maps.sh [RUNS] [OLD]      e.g. tests/CepGeo.Benchmarks/maps.sh 3
set -euo pipefail
exec </dev/null
RUNS=${1:-3}
OLD=${2:-}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: maps.sh [RUNS] [OLD cepgeo.dll]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[[ -d $ROOT/../shared/data/france ]] || { echo "error: ../shared/data/france not found beside $ROOT" >&2; exit 2; }
NATIONAL=$ROOT/data/france/study.json
PACA=$ROOT/data/paca/study.json
DLL=$ROOT/src/CepGeo.Cli/bin/Release/net10.0/cepgeo.dll
[[ -f $DLL ]] || dotnet build "$ROOT/src/CepGeo.Cli" -c Release -v q -nologo >/dev/null
cli() { case $1 in *.dll) echo "dotnet $1" ;; *) echo "$1" ;; esac; }
WORK=$(mktemp -d /tmp/cepgeo-maps-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS=${CEPGEO_BENCH_RESULTS:-$HERE/results}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
OUT=$RESULTS/$(date +%F)-maps-$COMMIT.txt
mkdir -p "$RESULTS"

declare -A WALL
rows=()
run() { # run NAME CLI ARGS...: one timed run, its row kept
  local name=$1 load; shift
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" $(cli "$1") "${@:2}" >"$WORK/run.log" 2>&1; then
    cat "$WORK/run.log" >&2; echo "error: $name failed" >&2; exit 1
  fi
  read -r wall user sys rss <"$WORK/time"
  WALL[$name]+="$wall "
  rows+=("$(printf '| %s | %s | %s | %.1f | %d | %s |' "$name" "$((${#rows[@]} + 1))" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$load")")
  printf '%-22s %8s s  (load %s)\n' "$name" "$wall" "$load" >&2
}
D=2026-01-01
for ((i = 0; i < RUNS; i++)); do
  run national-no-maps "$DLL" analyze "$NATIONAL" --no-maps --force --out "$WORK/nat"
  run national-maps "$DLL" analyze "$NATIONAL" --date $D --force --out "$WORK/nat-maps"
  [[ -z $OLD ]] || run national-maps-old "$OLD" analyze "$NATIONAL" --date $D --force --out "$WORK/nat-maps-old"
  run paca-no-maps "$DLL" analyze "$PACA" --no-maps --force --out "$WORK/paca"
  run paca-render-print "$DLL" render "$PACA" --print --date $D --force --out "$WORK/paca-render"
  [[ -z $OLD ]] || run paca-render-print-old "$OLD" render "$PACA" --print --date $D --force --out "$WORK/paca-render-old"
done
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
nn=$(median "${WALL[national-no-maps]}"); nm=$(median "${WALL[national-maps]}")
pn=$(median "${WALL[paca-no-maps]}"); pr=$(median "${WALL[paca-render-print]}")
mb() { echo $(( $(stat -c %s "$1") / 1048576 )); }
{
  echo "Maps, report and atlas (issue 28), $(date +%F), commit $COMMIT, $(nproc) cores, Release build (dotnet cepgeo.dll)."
  echo "Alternating whole processes: analyze national --no-maps; analyze national (maps, report.html, atlas.pdf); analyze PACA --no-maps; render PACA --print${OLD:+; and the runs with maps of $OLD}."
  echo
  echo "| command | run | wall (s) | CPU user+sys (s) | peak (MB) | load average before (1, 5, 15 min) |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "national: median without maps $nn s, with maps $nm s; with / without: $(echo "scale=2; $nm / $nn" | bc) (target <= 1.5)"
  echo "PACA: median analysis $pn s, render --print $pr s; render / analysis: $(echo "scale=2; $pr / $pn" | bc) (target <= 3)"
  echo "national atlas.pdf $(mb "$WORK/nat-maps/atlas.pdf") MB, report.html $(mb "$WORK/nat-maps/report.html") MB; PACA atlas.pdf $(mb "$WORK/paca-render/atlas.pdf") MB"
  [[ -z $OLD ]] || echo "with $OLD: national with maps $(median "${WALL[national-maps-old]}") s, PACA render --print $(median "${WALL[paca-render-print-old]}") s"
} | tee "$OUT"
echo "written: $OUT" >&2
