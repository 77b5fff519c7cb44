# Sourced by maps.sh and balance.sh: whole-process timings of the Release build, alternating, on a shared machine.
# Before sourcing, set BENCH (the script's name, e.g. maps) and RUNS, OLD from the arguments. Gives:
#   ROOT, HERE, DLL (built if absent), WORK (removed on exit), RESULTS, COMMIT, OUT (results/<date>-BENCH-<commit>.txt);
#   run NAME CLI ARGS...   one run under /usr/bin/time (wall, user + system CPU, peak memory, the load average before),
#                          its wall seconds added to WALL[NAME] and its table row to rows;
#   median "LIST"          the median of a space-separated list.
exec </dev/null
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $BENCH.sh [RUNS] [OLD cepgeo.dll]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[[ -d $ROOT/../shared/data/france ]] || { echo "error: ../shared/data/france not found beside $ROOT" >&2; exit 2; }
DLL=$ROOT/src/CepGeo.Cli/bin/Release/net10.0/cepgeo.dll
[[ -f $DLL ]] || dotnet build "$ROOT/src/CepGeo.Cli" -c Release -v q -nologo >/dev/null
cli() { case $1 in *.dll) echo "dotnet $1" ;; *) echo "$1" ;; esac; }
WORK=$(mktemp -d "/tmp/cepgeo-$BENCH-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RESULTS=${CEPGEO_BENCH_RESULTS:-$HERE/results}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
OUT=$RESULTS/$(date +%F)-$BENCH-$COMMIT.txt
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
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
