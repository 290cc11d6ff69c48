#!/usr/bin/env bash
# End-to-end nfprobe throughput on a savefile, jpmacct's pmacctd next to pmacct 1.7.7 with the same configuration:
# nfprobe exporting to a UDP sink on 127.0.0.1 (the issue's aggregate, nfprobe defaults otherwise: 8192 flows, so
# the 50k-flow capture keeps the cache full and evicting). Prints wall seconds, CPU seconds of the exporter,
# packets/s and packets per CPU-second, and what the sink received (datagrams, bytes).
#   bench/nfprobe-vs-pmacct.sh [capture.pcap] [version]   (default: /tmp/jpmacct-bench/big5m.pcap, IPFIX)
#   IDLE=90 RUNS=5 bench/nfprobe-vs-pmacct.sh
#   MAXFLOWS=65536 bench/nfprobe-vs-pmacct.sh             (a cache that holds every flow: no evictions)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
PCAP="${1:-/tmp/jpmacct-bench/big5m.pcap}"
VERSION="${2:-10}"
command -v pmacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
CP="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
if [ ! -f "$PCAP" ]; then
  mkdir -p "$(dirname "$PCAP")"
  echo "generating $PCAP (5M packets, 50k flows) ..." >&2
  java -cp "$CP" jpmacct.bench.GenPcap "$PCAP" 5000000 50000 1
fi
PACKETS=$(java -cp "$CP" jpmacct.bench.CountPackets "$PCAP")
W=$(mktemp -d)
SINK_PID=
trap '[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; rm -rf "$W"' EXIT
# the sink counts what arrives; its CPU is not part of either figure
python3 - "$W/sink.port" "$W/sink.count" <<'PY' &
import socket, sys, signal
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
s.bind(("127.0.0.1", 0))
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
n = b = 0
def dump(*_):
    open(sys.argv[2], "w").write("%d %d\n" % (n, b))
signal.signal(signal.SIGUSR1, dump)
while True:
    try:
        d = s.recv(65536)
    except InterruptedError:
        continue
    n += 1; b += len(d)
PY
SINK_PID=$!
while [ ! -s "$W/sink.port" ]; do sleep 0.1; done
PORT=$(cat "$W/sink.port")
cat > "$W/nfprobe.conf" <<CONF
daemonize: false
pcap_savefile: $PCAP
aggregate: src_host, dst_host, src_port, dst_port, proto, tos
plugins: nfprobe
nfprobe_receiver: 127.0.0.1:$PORT
nfprobe_version: $VERSION
plugin_buffer_size: 102400
plugin_pipe_size: 104857600
CONF
[ -n "${MAXFLOWS:-}" ] && echo "nfprobe_maxflows: $MAXFLOWS" >> "$W/nfprobe.conf"
sink() { kill -USR1 "$SINK_PID"; sleep 0.3; cat "$W/sink.count"; }
. "$ROOT/bench/idle.sh"
run() { # $1 = name, rest = command
  local name=$1; shift
  wait_idle
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local before; before=$(sink)
  /usr/bin/time -f "%e %U %S" -o "$W/$name.time" "$@" > "$W/$name.out" 2> "$W/$name.err"
  sleep 0.5
  local after; after=$(sink)
  read -r wall user sys < "$W/$name.time"
  local cpu; cpu=$(echo "$user + $sys" | bc)
  read -r n0 b0 <<< "$before"; read -r n1 b1 <<< "$after"
  printf "%-10s wall %7.2f s  cpu %7.2f s  %10.0f pkt/s wall  %10.0f pkt/cpu-s  sink: %d datagrams, %d bytes  (load %s)\n" \
    "$name" "$wall" "$cpu" "$(echo "$PACKETS / $wall" | bc -l)" "$(echo "$PACKETS / $cpu" | bc -l)" \
    $((n1 - n0)) $((b1 - b0)) "$load"
}
echo "capture: $PCAP ($PACKETS packets), NetFlow v$VERSION to 127.0.0.1:$PORT, maxflows ${MAXFLOWS:-8192}, $(nproc) cores"
# first use of the launcher builds the class-data archive: not part of the measurement
"$ROOT/bin/pmacctd" -V > /dev/null 2>&1
for i in $(seq 1 "${RUNS:-3}"); do
  run pmacct pmacctd -f "$W/nfprobe.conf"
  run jpmacct "$ROOT/bin/pmacctd" -f "$W/nfprobe.conf"
done
echo "(pmacct 1.7.7 sleeps 2 s after opening a savefile and again at exit; its wall time includes them)"
