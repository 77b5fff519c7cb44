# Sourced by maps.sh and balance.sh: whole-process timings of CepGeo as users run it, alternating, on a shared machine.
# Before sourcing, set BENCH (the script's name, e.g. maps) and RUNS, OLD from the arguments. Gives:
#   ROOT, HERE, WORK (removed on exit), RESULTS, COMMIT, OUT (results/<date>-BENCH-<commit>.txt);
#   CEPGEO (the command measured, published by publish_cli below), BUILD_KIND (which build it is), PUBLISH_SECONDS;
#   run NAME CLI ARGS...   one run under /usr/bin/time (wall, user + system CPU, peak memory, the load average before),
#                          its wall seconds added to WALL[NAME] and its table row to rows;
#   median "LIST"          the median of a space-separated list.
# compare.sh sources it with BENCH unset: publish_cli alone.

# publish_cli DIR LOG: CepGeo as README's install.sh installs it: self-contained, its code, its libraries and .NET compiled
# ahead of time as one composite ReadyToRun image (calls between them inlined, a run not begun in the JIT), in DIR-composite;
# if that publish fails, framework-dependent ReadyToRun (DIR-r2r); then the plain Release build (src/CepGeo.Cli/bin/Release,
# built if absent). Each publish has its own intermediate files (DIR-*.build: in the repository's obj/, an incremental publish
# kept the other kind's compiled images). dotnet's output goes to LOG. Sets CLI (the cepgeo.dll), RUN_CLI (the command that
# runs it, an array), BUILD_KIND (which of the three, for the results) and PUBLISH_SECONDS.
# CEPGEO_BENCH_BUILD=0: the Release build as it is (CI built it).
publish_cli() {
  local dir=$1 log=$2 rid started=$SECONDS
  local release=$ROOT/src/CepGeo.Cli/bin/Release/net10.0/cepgeo.dll
  unset RUN_CLI
  _publish() { # _publish DIR ARGS...
    local to=$1; shift
    rm -rf "$to" "$to.build"
    dotnet publish "$ROOT/src/CepGeo.Cli" -c Release -r "$rid" -p:PublishReadyToRun=true "$@" \
      --artifacts-path "$to.build" -o "$to" -v q -nologo >"$log" 2>&1
  }
  _release() {
    CLI=$release BUILD_KIND="Release build (dotnet cepgeo.dll)"
    [[ -f $CLI ]] && return 0
    echo "==> dotnet build src/CepGeo.Cli -c Release" >&2
    dotnet build "$ROOT/src/CepGeo.Cli" -c Release -v q -nologo >"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
  }
  rid=$(dotnet --info 2>/dev/null | sed -n 's/^ *RID: *//p' | head -1)
  if [[ ${CEPGEO_BENCH_BUILD:-1} != 1 ]]; then
    _release
  else
    echo "==> dotnet publish src/CepGeo.Cli -c Release -r ${rid:-?} --self-contained -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true (a few minutes)" >&2
    if [[ -n $rid ]] && _publish "$dir-composite" --self-contained true -p:PublishReadyToRunComposite=true; then
      CLI=$dir-composite/cepgeo.dll
      RUN_CLI=("$dir-composite/cepgeo")   # its own launcher, with the runtime beside it
      BUILD_KIND="self-contained composite ReadyToRun publish (as install.sh installs cepgeo)"
    elif [[ -n $rid ]] && { echo "note: composite publish failed (see $log): trying framework-dependent ReadyToRun" >&2; _publish "$dir-r2r" --self-contained false; }; then
      CLI=$dir-r2r/cepgeo.dll
      BUILD_KIND="framework-dependent ReadyToRun publish (dotnet cepgeo.dll; the composite publish failed)"
    else
      echo "note: ReadyToRun publish failed (see $log): the plain Release build is measured" >&2
      _release
      BUILD_KIND="Release build (dotnet cepgeo.dll; the ReadyToRun publishes failed)"
    fi
  fi
  [[ -v RUN_CLI ]] || RUN_CLI=(dotnet "$CLI")
  PUBLISH_SECONDS=$((SECONDS - started))
}
[[ -n ${BENCH:-} ]] || return 0

exec </dev/null
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $BENCH.sh [RUNS] [OLD cepgeo.dll or cepgeo]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[[ -d $ROOT/../shared/data/france ]] || { echo "error: ../shared/data/france not found beside $ROOT" >&2; exit 2; }
cli() { case $1 in *.dll) echo "dotnet $1" ;; *) echo "$1" ;; esac; }
WORK=$(mktemp -d "/tmp/cepgeo-$BENCH-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
publish_cli "$WORK/cepgeo" "$WORK/build.log"
# Both sides of every ratio run this one build: its launcher, or dotnet and its cepgeo.dll.
CEPGEO=${RUN_CLI[-1]}
echo "==> measured: $BUILD_KIND, $CEPGEO (ready in $PUBLISH_SECONDS s)" >&2
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
