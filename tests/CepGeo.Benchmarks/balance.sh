#!/usr/bin/env bash
# design balance on the national study against the national analysis (issue 28: balance within 3x
# the analysis). Times, alternately, RUNS times each (whole processes, Release build):
#   analyze:  cepgeo analyze data/france/study.json --no-maps
#   balance:  cepgeo design balance data/france/study.json --count 287 --operators bmo
#             (the analysis, the search, the exact measure, the three files)
# with /usr/bin/time (wall, user + system CPU, peak memory) and the load average before each run (the
# machine is shared: the ratio of the same run is the figure, not the seconds). With OLD (a cepgeo.dll
# or cepgeo of another build, e.g. before a change), its balance is timed in the same alternation.
# Writes results/<date>-balance-<commit>.txt (or $CEPGEO_BENCH_RESULTS/...). Exit 1 when a run fails.
#   balance.sh [RUNS] [OLD]
set -euo pipefail
exec </dev/null
RUNS=${1:-3}
OLD=${2:-}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: balance.sh [RUNS] [OLD cepgeo.dll]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[[ -d $ROOT/../shared/data/france ]] || { echo "error: ../shared/data/france not found beside $ROOT" >&2; exit 2; }
STUDY=$ROOT/data/france/study.json
DLL=$ROOT/src/CepGeo.Cli/bin/Release/net10.0/cepgeo.dll
[[ -f $DLL ]] || dotnet build "$ROOT/src/CepGeo.Cli" -c Release -v q -nologo >/dev/null
cli() { case $1 in *.dll) echo "dotnet $1" ;; *) echo "$1" ;; esac; }
WORK=$(mktemp -d /tmp/cepgeo-balance-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS=${CEPGEO_BENCH_RESULTS:-$HERE/results}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
OUT=$RESULTS/$(date +%F)-balance-$COMMIT.txt
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
  printf '%-12s %8s s  (load %s)\n' "$name" "$wall" "$load" >&2
}
for ((i = 0; i < RUNS; i++)); do
  run analyze "$DLL" analyze "$STUDY" --no-maps --force --out "$WORK/analyze"
  run balance "$DLL" design balance "$STUDY" --count 287 --operators bmo --force --out "$WORK/balance"
  [[ -z $OLD ]] || run balance-old "$OLD" design balance "$STUDY" --count 287 --operators bmo --force --out "$WORK/balance-old"
done
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ma=$(median "${WALL[analyze]}"); mb=$(median "${WALL[balance]}")
{
  echo "design balance, national (issue 28), $(date +%F), commit $COMMIT, $(nproc) cores shared with other work, Release build (dotnet cepgeo.dll)."
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
