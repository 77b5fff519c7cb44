#!/usr/bin/env bash
# design balance on the national study against the national analysis (issue 28: balance within 3x
# the analysis). Times, alternately, RUNS times each (whole processes of the build
# users run, timed.sh's publish_cli; CEPGEO_BENCH_BUILD=0: the Release build as it is):
#   analyze:  cepgeo analyze data/france/study.json --no-maps
#   balance:  cepgeo design balance data/france/study.json --count 287 --operators bmo
#             (the analysis, the search, the exact measure, the three files)
# with /usr/bin/time (wall, user + system CPU, peak memory) and the load average before each run (the
# machine is shared: the ratio of the same run is the figure, not the seconds). With OLD (a cepgeo.dll
# or cepgeo of another build, e.g. before a change), its balance is timed in the same alternation.
# Writes results/<date>-balance-<commit>.txt (or $CEPGEO_BENCH_RESULTS/...). Exit 1 when a run fails.
#   balance.sh [RUNS] [OLD]
set -euo pipefail
BENCH=balance
RUNS=${1:-3}
OLD=${2:-}
source "$(dirname "${BASH_SOURCE[0]}")/timed.sh"
STUDY=$ROOT/data/france/study.json
for ((i = 0; i < RUNS; i++)); do
  run analyze "$CEPGEO" analyze "$STUDY" --no-maps --force --out "$WORK/analyze"
  run balance "$CEPGEO" design balance "$STUDY" --count 287 --operators bmo --force --out "$WORK/balance"
  [[ -z $OLD ]] || run balance-old "$OLD" design balance "$STUDY" --count 287 --operators bmo --force --out "$WORK/balance-old"
done
ma=$(median "${WALL[analyze]}"); mb=$(median "${WALL[balance]}")
{
  echo "design balance, national (issue 28), $(date +%F), commit $COMMIT, $(nproc) cores shared with other work, $BUILD_KIND (ready in $PUBLISH_SECONDS s)."
  echo "Alternating whole processes: analyze data/france/study.json --no-maps; design balance data/france/study.json --count 287 --operators bmo${OLD:+; the same balance with $OLD}."
  echo
  echo "| command | run | wall (s) | CPU user+sys (s) | peak (MB) | load average before (1, 5, 15 min) |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "median analyze: $ma s; median balance: $mb s; balance / analyze: $(echo "scale=2; $mb / $ma" | bc) (target <= 3)"
  [[ -z $OLD ]] || echo "median balance with $OLD: $(median "${WALL[balance-old]}") s"
} | tee "$OUT"
echo "written: $OUT" >&2
