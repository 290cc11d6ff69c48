#!/usr/bin/env bash
# Memory plugin and client, jpmacct next to pmacct 1.7.7 on the same capture and configuration (aggregate
# src_host,dst_host,src_port,dst_port,proto): a 1M-entry table (pmacct -s full dump, pmacct -N for one key) and a
# 10-entry table (pmacct -s, the watch/MRTG case, wall time including the client's start-up), plus the daemon's
# resident memory per entry. Medians of RUNS (default 11) runs, after three untimed warm-up queries.
#   bench/memory-vs-pmacct.sh [capture-with-1M-flows.pcap]   (default: generates /tmp/jpmacct-bench/flows1m.pcap)
#   TABLES=small bench/memory-vs-pmacct.sh                   (the 10-entry table only)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
PCAP="${1:-/tmp/jpmacct-bench/flows1m.pcap}"
RUNS="${RUNS:-11}"
TABLES="${TABLES:-both}"
SMALL="$(dirname "$PCAP")/flows10.pcap"   # 1000 packets of exactly 10 flows
command -v pmacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
CP="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
mkdir -p "$(dirname "$PCAP")"
if [ "$TABLES" != small ] && [ ! -f "$PCAP" ]; then
  echo "generating $PCAP (2M packets, every one of 1M flows) ..." >&2
  java -cp "$CP" jpmacct.bench.GenPcap "$PCAP" 2000000 1000000 3 every
fi
[ -f "$SMALL" ] || java -cp "$CP" jpmacct.bench.GenPcap "$SMALL" 1000 10 3 every
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$W"; }
trap cleanup EXIT

conf() { # $1 = capture, $2 = socket
  cat <<CONF
daemonize: false
pcap_savefile: $1
pcap_savefile_wait: true
plugins: memory[m]
aggregate[m]: src_host, dst_host, src_port, dst_port, proto
imt_path[m]: $2
imt_buckets[m]: 1048573
imt_mem_pools_number[m]: 1024
imt_mem_pools_size[m]: 1048576
plugin_buffer_size: 102400
plugin_pipe_size: 1073741824
CONF
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # prints the wall seconds of a command, output discarded
  /usr/bin/time -f "%e" -o "$W/t" "$@" > /dev/null 2>&1 || true
  cat "$W/t"
}
rss_kb() { # total resident memory of a process tree
  local total=0
  for p in $(pgrep -f "$1"); do total=$((total + $(awk '/VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0))); done
  echo "$total"
}
# $1 name, $2 daemon command, $3 client command, $4 process pattern for RSS
measure() {
  local name=$1 daemon=$2 client=$3 pattern=$4
  conf "$PCAP" "$W/$name-big.pipe" > "$W/$name-big.conf"
  conf "$SMALL" "$W/$name-small.pipe" > "$W/$name-small.conf"
  $daemon -f "$W/$name-big.conf" > "$W/$name-big.log" 2>&1 & PIDS+=($!)
  $daemon -f "$W/$name-small.conf" > "$W/$name-small.log" 2>&1 & PIDS+=($!)
  # no queries while the capture is read (pmacct 1.7.7's counts freeze when queried during ingestion); then the
  # table is complete when two counts two seconds apart agree
  until grep -q -e "finished reading PCAP" -e "savefile done" "$W/$name-big.log"; do sleep 1; done
  local prev=-1 now=0
  while true; do
    sleep 2
    now=$({ $client -p "$W/$name-big.pipe" -s -O csv 2>/dev/null || true; } | wc -l)
    [ "$now" -gt 1 ] && [ "$now" = "$prev" ] && break
    prev=$now
  done
  local entries=$((now - 1))
  local small_entries; small_entries=$(($($client -p "$W/$name-small.pipe" -s -O csv | wc -l) - 1))
  local key; key=$($client -p "$W/$name-big.pipe" -s -O csv -T bytes,1 | awk -F, 'NR==2 {print $1","$2","$3","$4","$5}')
  local dump=() one=() small=()
  for i in 1 2 3; do
    $client -p "$W/$name-small.pipe" -s > /dev/null
    $client -p "$W/$name-big.pipe" -c src_host,dst_host,src_port,dst_port,proto -N "$key" > /dev/null
  done
  for i in $(seq 1 "$RUNS"); do
    dump+=("$(timed $client -p "$W/$name-big.pipe" -s)")
    one+=("$(timed $client -p "$W/$name-big.pipe" -c src_host,dst_host,src_port,dst_port,proto -N "$key")")
    small+=("$(timed $client -p "$W/$name-small.pipe" -s)")
  done
  local rss; rss=$(rss_kb "$pattern")
  if [ "$name" = jpmacct ]; then   # live heap of the 1M-entry daemon after a full GC
    local pid; pid=$(pgrep -f "jpmacct.pmacctd.Pmacctd -f $W/$name-big.conf" | head -1)
    jcmd "$pid" GC.run > /dev/null
    local heap; heap=$(jcmd "$pid" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i <= NF; i++) if ($i == "used") print $(i+1)}' | tr -d K)
    printf "jpmacct  heap used after GC: %d MiB, %.0f B/entry\n" "$((heap / 1024))" "$(echo "$heap * 1024 / $entries" | bc -l)"
  fi
  printf "%-8s entries %8d  -s (1M) %6.2f s  -N one key (1M) %6.3f s  -s (%d-entry table) %6.3f s  RSS %7d MiB (%4.0f B/entry, both daemons)\n" \
    "$name" "$entries" "$(printf '%s\n' "${dump[@]}" | median)" "$(printf '%s\n' "${one[@]}" | median)" \
    "$small_entries" "$(printf '%s\n' "${small[@]}" | median)" "$((rss / 1024))" "$(echo "$rss * 1024 / $entries" | bc -l)"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
  sleep 3
}
# TABLES=small: both daemons on the 10-entry table, the two clients called in turn (a busy machine slows both
# alike); wall time, and CPU time (user + system), which other load on the machine does not inflate
small_side_by_side() {
  local n t p=() j=()
  for n in pmacct jpmacct; do conf "$SMALL" "$W/$n-small.pipe" > "$W/$n-small.conf"; done
  pmacctd -f "$W/pmacct-small.conf" > "$W/pmacct-small.log" 2>&1 & PIDS+=($!)
  "$ROOT/bin/pmacctd" -f "$W/jpmacct-small.conf" > "$W/jpmacct-small.log" 2>&1 & PIDS+=($!)
  until grep -q "finished reading PCAP" "$W/pmacct-small.log" && grep -q "savefile done" "$W/jpmacct-small.log"; do sleep 1; done
  sleep 3
  for n in 1 2 3; do pmacct -p "$W/pmacct-small.pipe" -s > /dev/null; "$ROOT/bin/pmacct" -p "$W/jpmacct-small.pipe" -s > /dev/null; done
  for n in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -a -o "$W/pmacct.times" pmacct -p "$W/pmacct-small.pipe" -s > /dev/null
    /usr/bin/time -f "%e %U %S" -a -o "$W/jpmacct.times" "$ROOT/bin/pmacct" -p "$W/jpmacct-small.pipe" -s > /dev/null
  done
  t=$(($("$ROOT/bin/pmacct" -p "$W/jpmacct-small.pipe" -s -O csv | wc -l) - 1))
  for n in pmacct jpmacct; do
    printf "%-8s -s (%d-entry table): wall median %.3f s, min %.3f s; CPU median %.3f s\n" "$n" "$t" \
      "$(awk '{print $1}' "$W/$n.times" | median)" "$(awk '{print $1}' "$W/$n.times" | sort -n | head -1)" \
      "$(awk '{print $2 + $3}' "$W/$n.times" | median)"
  done
}
"$ROOT/bin/pmacct" -h > /dev/null 2>&1 || true   # first use builds the jars
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $RUNS runs; client times are wall, start-up included"
if [ "$TABLES" = small ]; then small_side_by_side; exit; fi
echo "capture: $PCAP"
measure pmacct "pmacctd" "pmacct" "pmacctd: "
measure jpmacct "$ROOT/bin/pmacctd" "$ROOT/bin/pmacct" "jpmacct.pmacctd.Pmacctd"
