#!/usr/bin/env bash
# Maps, report and atlas against the analysis (issue 28). Times, alternately, RUNS times each (whole processes of the
# build users run: README's install.sh publish, made first by timed.sh's publish_cli, a few minutes; both sides of each
# ratio run it; /usr/bin/time: wall, user + system CPU, peak memory; the load average before each run):
#   national:  cepgeo analyze data/france/study.json --no-maps   against   the same with maps, report.html and atlas.pdf
#              (target: with maps <= 1.5 x without)
#   PACA:      cepgeo analyze data/paca/study.json --no-maps      against   cepgeo render data/paca/study.json --print
#              (target: render --print <= 3 x the analysis)
# The machine may be shared: the ratio of medians of the same alternation is the figure, not the seconds.
# Also prints the size of the national atlas.pdf and report.html. With OLD (a cepgeo.dll or cepgeo of another build), its runs
# with maps are timed in the same alternation. Writes results/<date>-maps-<commit>.txt (or $CEPGEO_BENCH_RESULTS/).
#   maps.sh [RUNS] [OLD]      e.g. tests/CepGeo.Benchmarks/maps.sh 3
# CEPGEO_BENCH_BUILD=0: the Release build's cepgeo.dll as it is, not published (what the results then say).
set -euo pipefail
BENCH=maps
RUNS=${1:-3}
OLD=${2:-}
source "$(dirname "${BASH_SOURCE[0]}")/timed.sh"
NATIONAL=$ROOT/data/france/study.json
PACA=$ROOT/data/paca/study.json
D=2026-01-01
for ((i = 0; i < RUNS; i++)); do
  run national-no-maps "$CEPGEO" analyze "$NATIONAL" --no-maps --force --out "$WORK/nat"
  run national-maps "$CEPGEO" analyze "$NATIONAL" --date $D --force --out "$WORK/nat-maps"
  [[ -z $OLD ]] || run national-maps-old "$OLD" analyze "$NATIONAL" --date $D --force --out "$WORK/nat-maps-old"
  run paca-no-maps "$CEPGEO" analyze "$PACA" --no-maps --force --out "$WORK/paca"
  run paca-render-print "$CEPGEO" render "$PACA" --print --date $D --force --out "$WORK/paca-render"
  [[ -z $OLD ]] || run paca-render-print-old "$OLD" render "$PACA" --print --date $D --force --out "$WORK/paca-render-old"
done
nn=$(median "${WALL[national-no-maps]}"); nm=$(median "${WALL[national-maps]}")
pn=$(median "${WALL[paca-no-maps]}"); pr=$(median "${WALL[paca-render-print]}")
mb() { echo $(( $(stat -c %s "$1") / 1048576 )); }
{
  echo "Maps, report and atlas (issue 28), $(date +%F), commit $COMMIT, $(nproc) cores, $BUILD_KIND (ready in $PUBLISH_SECONDS s)."
  echo "Alternating whole processes: analyze national --no-maps; analyze national (maps, report.html, atlas.pdf); analyze PACA --no-maps; render PACA --print${OLD:+; and the runs with maps of $OLD}."
  echo
  echo "| command | run | wall (s) | CPU user+sys (s) | peak (MB) | load average before (1, 5, 15 min) |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "national: median without maps $nn s, with maps $nm s; with / without: $(echo "scale=2; $nm / $nn" | bc) (target <= 1.5)"
  echo "PACA: median analysis $pn s, render --print $pr s; render / analysis: $(echo "scale=2; $pr / $pn" | bc) (target <= 3)"
  echo "national atlas.pdf $(mb "$WORK/nat-maps/atlas.pdf") MB, report.html $(mb "$WORK/nat-maps/report.html") MB; PACA atlas.pdf $(mb "$WORK/paca-render/atlas.pdf") MB"
  # A .dll runs in the JIT where a published cepgeo does not: the old and new seconds are then of two kinds of build.
  [[ -z $OLD || $OLD != *.dll || $BUILD_KIND == Release* ]] || echo "NOTE: OLD is a $OLD run by dotnet (JIT), the new side a $BUILD_KIND: not the same kind of build; publish OLD's commit the same way (install.sh) for a fair comparison"
  [[ -z $OLD ]] || echo "with $OLD: national with maps $(median "${WALL[national-maps-old]}") s, PACA render --print $(median "${WALL[paca-render-print-old]}") s"
} | tee "$OUT"
echo "written: $OUT" >&2
