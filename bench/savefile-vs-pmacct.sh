#!/usr/bin/env bash
# End-to-end savefile throughput, jpmacct's pmacctd next to pmacct 1.7.7 on the same capture and configuration:
# print plugin to a CSV file, aggregate src_host,dst_host,src_port,dst_port,proto. Prints wall seconds, CPU seconds,
# packets/s and packets per CPU-second, and checks both accounted every packet. Both get the same buffers
# (plugin_buffer_size 100 KiB, plugin_pipe_size 100 MiB): pmacct's defaults (one record per buffer) make it
# several times slower still.
#   bench/savefile-vs-pmacct.sh [capture.pcap]     (default: generates /tmp/jpmacct-bench/big5m.pcap)
#   IDLE=90 RUNS=5 bench/savefile-vs-pmacct.sh      (each run starts once the CPUs were 90% idle for a second)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
PCAP="${1:-/tmp/jpmacct-bench/big5m.pcap}"
command -v pmacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
if [ ! -f "$PCAP" ]; then
  mkdir -p "$(dirname "$PCAP")"
  echo "generating $PCAP (5M packets, 50k flows) ..." >&2
  java -cp "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" jpmacct.bench.GenPcap "$PCAP" 5000000 50000 1
fi
CP="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
PACKETS=$(java -cp "$CP" jpmacct.bench.CountPackets "$PCAP")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
conf() { # $1 = output file
  cat <<CONF
daemonize: false
pcap_savefile: $PCAP
plugins: print[p]
aggregate[p]: src_host, dst_host, src_port, dst_port, proto
print_output[p]: csv
print_output_file[p]: $1
print_refresh_time[p]: 3600
plugin_buffer_size: 102400
plugin_pipe_size: 104857600
CONF
}
sum_packets() { awk -F, 'NR>1 {p+=$(NF-1)} END {print p+0}' "$1"; }
. "$ROOT/bench/idle.sh"
run() { # $1 = name, rest = command
  local name=$1; shift
  wait_idle
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S" -o "$W/$name.time" "$@" > "$W/$name.out" 2> "$W/$name.err"
  read -r wall user sys < "$W/$name.time"
  local cpu; cpu=$(echo "$user + $sys" | bc)
  local acc; acc=$(sum_packets "$W/$name.csv")
  printf "%-10s wall %7.2f s  cpu %7.2f s  %10.0f pkt/s wall  %10.0f pkt/cpu-s  accounted %s of %s  (load %s)\n" \
    "$name" "$wall" "$cpu" "$(echo "$PACKETS / $wall" | bc -l)" "$(echo "$PACKETS / $cpu" | bc -l)" "$acc" "$PACKETS" "$load"
}
conf "$W/pmacct.csv" > "$W/pmacct.conf"
conf "$W/jpmacct.csv" > "$W/jpmacct.conf"
echo "capture: $PCAP ($PACKETS packets), $(nproc) cores"
# first use of the launcher builds the jars and the class-data archive: not part of the measurement
"$ROOT/bin/pmacctd" -V > /dev/null 2>&1
"$ROOT/bin/pmacctd" -I "$ROOT/examples/edge.pcap" -P print > /dev/null 2>&1
for i in $(seq 1 "${RUNS:-3}"); do
  run pmacct pmacctd -f "$W/pmacct.conf"
  run jpmacct "$ROOT/bin/pmacctd" -f "$W/jpmacct.conf"
done
echo "(pmacct 1.7.7 sleeps 2 s after opening a savefile and again at exit; its wall time includes them)"
