#!/usr/bin/env bash
# Two builds of pmacctd on the same configuration, runs alternating: wall and CPU seconds of each run, then the
# mean per build. For measuring a change against the build before it, e.g. a copy made with
#   git archive HEAD~1 | tar -x -C /tmp/base && (cd /tmp/base && mvn -q -o -DskipTests package)
# usage: IDLE=90 bench/compare-builds.sh <runs> <config> <launcher A> <launcher B>
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$ROOT/bench/idle.sh"
RUNS=$1; CONF=$2; shift 2
T=$(mktemp); trap 'rm -f "$T"' EXIT
for i in $(seq 1 "$RUNS"); do
  for L in "$@"; do
    wait_idle
    load=$(cut -d' ' -f1 /proc/loadavg)
    JPMACCT_NO_BUILD=1 /usr/bin/time -o "$T" -f "%e %U %S" "$L" -f "$CONF" > /dev/null 2>&1
    read -r wall user sys < "$T"
    echo "$L wall $wall cpu $(echo "$user + $sys" | bc) load $load"
  done
done | tee /dev/stderr | awk '{w[$1]+=$3; c[$1]+=$5; n[$1]++} END {for (k in w) printf "%s: mean wall %.3f s, cpu %.3f s (%d runs)\n", k, w[k]/n[k], c[k]/n[k], n[k]}'
